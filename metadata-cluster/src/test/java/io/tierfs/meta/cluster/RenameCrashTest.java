package io.tierfs.meta.cluster;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Caller;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.common.fault.FaultPoints;
import io.tierfs.meta.Await;
import io.tierfs.meta.TreeDump;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.client.CrossDirRename;
import io.tierfs.meta.entity.DirEntity;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.cluster.RenameUntilHalt.Scenario;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Cross-directory renames under kill -9 at every step. A child JVM ({@link RenameUntilHalt}) builds a tree and runs
 * four renames one after the other: three files (without victim; homed elsewhere, over a file homed elsewhere;
 * over a file homed in the target) and a directory (without (D) or with (E) a victim). The file renames die at one
 * fault point with "throw" (their coordinator thread dies there, their entities live on and keep the state of that
 * point), then the directory rename halts the JVM at another point (exit code 137, no shutdown hooks: kill -9),
 * so that one child covers a point for files and a point for directories. Only one directory rename can be stopped
 * mid-way per child: the others would wait for the rename lock it holds.
 * <p>
 * A node restarted on the same state dir must then, once the source directories have re-driven their intents,
 * show each rename fully done (every rename whose intent was persisted) or fully undone (the one halted before
 * its intent, and those that never started): exactly one of the two names, the moved inode's attributes and
 * contents intact, nlink right, the victim gone exactly when the rename is done, parent pointers right, no intent
 * pending, every name resolving, and the rename lock usable again.
 */
class RenameCrashTest {
    private static final Logger LOG = LoggerFactory.getLogger(RenameCrashTest.class);

    @TempDir
    Path stateDir;

    /** The fault points a rename passes, in order, when nothing stops it. */
    private static List<String> path(Scenario s) {
        boolean dir = s == Scenario.D || s == Scenario.E;
        List<String> p = new ArrayList<>();
        if (dir) {
            p.add(CrossDirRename.AFTER_LOCK);
        }
        p.add(DirEntity.PERSISTED_INTENT_ADDED);
        p.add(CrossDirRename.AFTER_INTENT);
        if (s == Scenario.E) {
            p.add(CrossDirRename.AFTER_VICTIM_MARKED);
        }
        p.add(CrossDirRename.AFTER_PUT);
        if (s == Scenario.B || s == Scenario.C || s == Scenario.E) {
            p.add(CrossDirRename.AFTER_VICTIM);
        }
        if (dir) {
            p.add(CrossDirRename.AFTER_PARENT);
        }
        if (s == Scenario.B) {
            p.add(CrossDirRename.AFTER_CTIME);
        }
        p.add(CrossDirRename.AFTER_CLOSE);
        return p;
    }

    /**
     * One child per case: the file renames A, B, C die at {@code filePoint} (those that pass it), the directory
     * rename halts the JVM at {@code dirPoint}. Together the cases stop files at every point a file rename
     * passes and directories at every point a directory rename passes, D and E alike.
     */
    static Stream<Arguments> points() {
        return Stream.of(
                Arguments.of(CrossDirRename.AFTER_INTENT, CrossDirRename.AFTER_LOCK, Scenario.D),
                Arguments.of(CrossDirRename.AFTER_PUT, DirEntity.PERSISTED_INTENT_ADDED, Scenario.D),
                Arguments.of(CrossDirRename.AFTER_VICTIM, CrossDirRename.AFTER_INTENT, Scenario.D),
                Arguments.of(CrossDirRename.AFTER_CTIME, CrossDirRename.AFTER_VICTIM_MARKED, Scenario.E),
                Arguments.of(CrossDirRename.AFTER_CLOSE, CrossDirRename.AFTER_PUT, Scenario.E),
                Arguments.of(CrossDirRename.AFTER_PUT, CrossDirRename.AFTER_VICTIM, Scenario.E),
                Arguments.of(CrossDirRename.AFTER_INTENT, CrossDirRename.AFTER_PARENT, Scenario.D),
                Arguments.of(CrossDirRename.AFTER_VICTIM, CrossDirRename.AFTER_CLOSE, Scenario.E));
    }

    @ParameterizedTest(name = "files die at {0}, {2} halts at {1}")
    @MethodSource("points")
    void renameEndsDoneOrUndoneAfterAKillAt(String filePoint, String dirPoint, Scenario dirScenario)
            throws Exception {
        List<Scenario> order = List.of(Scenario.A, Scenario.B, Scenario.C, dirScenario);
        // the fault spec: count the hits of each point along the renames' paths, in the child's order
        Map<String, Integer> hits = new HashMap<>();
        List<String> entries = new ArrayList<>();
        Set<Scenario> expectFrozen = EnumSet.noneOf(Scenario.class);
        for (Scenario s : order) {
            boolean dir = s == dirScenario;
            for (String point : path(s)) {
                int k = hits.merge(point, 1, Integer::sum);
                if (dir && point.equals(dirPoint)) {
                    entries.add(point + ":halt@" + k);
                    break;
                }
                if (!dir && point.equals(filePoint)) {
                    entries.add(point + ":throw@" + k);
                    expectFrozen.add(s);
                    break;
                }
            }
        }
        long t0 = System.nanoTime();
        Child child = runChild(String.join(",", entries), dirScenario);
        long t1 = System.nanoTime();
        assertEquals(FaultPoints.HALT_EXIT_CODE, child.exit, "the child must halt at " + dirPoint + "; output: "
                + child.lines);
        assertEquals(dirScenario, child.halted(), "the rename in flight when the JVM halted; output: " + child.lines);
        assertEquals(expectFrozen, child.frozen, "renames whose coordinator died at " + filePoint);
        assertFalse(expectFrozen.isEmpty(), "some file rename dies at " + filePoint);

        Map<Scenario, Boolean> expectDone = new HashMap<>();
        for (Scenario s : order) {   // every rename whose intent was persisted ends done
            expectDone.put(s, !(s == dirScenario && dirPoint.equals(CrossDirRename.AFTER_LOCK)));
        }
        try (MetadataNode node = MetadataNode.start(stateDir, Clock.systemUTC(), Caller.ROOT,
                ConfigFactory.parseString("tierfs.meta.intent-timeout = 5s"))) {
            long t2 = System.nanoTime();
            Namespace ns = node.namespace();
            Map<String, Long> ino = child.ino;
            // first a new directory rename: it needs the rename lock, which the halted rename may still hold (its
            // lease expired meanwhile): a pending holder is re-driven by this waiter, a finished one taken over
            long p1 = ns.mkdir(InodeRef.ROOT_INO, "p1", 0755, Caller.ROOT).ref().ino();
            long p2 = ns.mkdir(InodeRef.ROOT_INO, "p2", 0755, Caller.ROOT).ref().ino();
            long z = ns.mkdir(p1, "z", 0755, Caller.ROOT).ref().ino();
            ns.rename(p1, "z", p2, "z");
            assertEquals(z, ns.lookup(p2, "z").ref().ino());
            long t3 = System.nanoTime();
            List<Long> sources = List.of(ino.get("sa"), ino.get("sb"), ino.get("sc"), ino.get("sd"), ino.get("se"));
            for (long dir : sources) {
                ns.getattr(new InodeRef(dir, dir));   // wakes the source directory: its recovery re-drives
            }
            Await.until(Duration.ofSeconds(30), "no rename intent pending", () ->
                    sources.stream().allMatch(dir -> pending(node, dir).isEmpty()));
            long t4 = System.nanoTime();
            for (Scenario s : order) {
                check(node, ino, s, expectDone.get(s));
            }
            TreeDump.dump(ns);   // every name resolves
            LOG.info("files died at {}, {} halted at {}: child {} ms, restart {} ms, lock free again after {} ms, "
                    + "intents closed after {} ms", filePoint, dirScenario, dirPoint, (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);
        }
    }

    private void check(MetadataNode node, Map<String, Long> ino, Scenario s, boolean done) {
        Namespace ns = node.namespace();
        String what = s + (done ? " done" : " undone");
        switch (s) {
            case A -> {
                long f = onlyOneName(ns, ino.get("sa"), ino.get("ta"), "f", ino.get("A.f"), done, what);
                assertFile(ns, new InodeRef(f, ino.get("sa")), 1234, "A", what);
            }
            case B -> {
                long from = done ? ino.get("tb") : ino.get("sb");
                assertEquals(ino.get("B.g"), ns.lookup(from, "g").ref().ino(), what);
                assertFile(ns, new InodeRef(ino.get("B.g"), ino.get("hb")), 2222, "B", what);
                if (done) {
                    assertErrno(Errno.ENOENT, () -> ns.lookup(ino.get("sb"), "g"), what);
                    assertErrno(Errno.ENOENT, () -> ns.getattr(new InodeRef(ino.get("B.w"), ino.get("hv"))),
                            what + ": the replaced file's last link is gone");
                } else {
                    assertEquals(1, ns.getattr(new InodeRef(ino.get("B.w"), ino.get("hv"))).nlink(), what);
                    assertEquals(ino.get("B.w"), ns.lookup(ino.get("tb"), "g").ref().ino(), what);
                }
            }
            case C -> {
                long from = done ? ino.get("tc") : ino.get("sc");
                assertEquals(ino.get("C.f"), ns.lookup(from, "f").ref().ino(), what);
                assertFile(ns, new InodeRef(ino.get("C.f"), ino.get("sc")), 3333, "C", what);
                if (done) {
                    assertErrno(Errno.ENOENT, () -> ns.lookup(ino.get("sc"), "f"), what);
                    assertErrno(Errno.ENOENT, () -> ns.getattr(new InodeRef(ino.get("C.v"), ino.get("tc"))), what);
                } else {
                    assertEquals(ino.get("C.v"), ns.lookup(ino.get("tc"), "f").ref().ino(), what);
                    assertEquals(1, ns.getattr(new InodeRef(ino.get("C.v"), ino.get("tc"))).nlink(), what);
                }
            }
            case D -> {
                long d = onlyOneName(ns, ino.get("sd"), ino.get("td"), "d", ino.get("D.d"), done, what);
                assertDirMoved(node, ino.get("sd"), ino.get("td"), d, done, done ? 3 : 2, what);
                assertEquals(3, ns.getattr(new InodeRef(d, d)).nlink(), what + ": d keeps its subdirectory");
                assertFile(ns, ns.lookup(d, "inside").ref(), 44, "D", what);
            }
            case E -> {
                long e = ino.get("E.e");
                long victim = ino.get("E.v");
                long from = done ? ino.get("te") : ino.get("se");
                assertEquals(e, ns.lookup(from, "e").ref().ino(), what);
                assertDirMoved(node, ino.get("se"), ino.get("te"), e, done, 3, what);
                assertFile(ns, ns.lookup(e, "inside").ref(), 55, "E", what);
                if (done) {
                    assertErrno(Errno.ENOENT, () -> ns.lookup(ino.get("se"), "e"), what);
                    assertEquals(0, ns.getattr(new InodeRef(victim, victim)).nlink(), what + ": victim removed");
                    assertErrno(Errno.ENOENT, () -> ns.create(victim, "x", 0644, Caller.ROOT, true), what);
                } else {
                    assertEquals(2, ns.getattr(new InodeRef(victim, victim)).nlink(), what);
                    ns.create(victim, "x", 0644, Caller.ROOT, true);   // not left "removing"
                }
            }
        }
    }

    /** Exactly one of src/name and dst/name names {@code ino}, the right one; returns ino. */
    private static long onlyOneName(Namespace ns, long src, long dst, String name, long ino, boolean done,
                                    String what) {
        assertEquals(ino, ns.lookup(done ? dst : src, name).ref().ino(), what);
        assertErrno(Errno.ENOENT, () -> ns.lookup(done ? src : dst, name), what + ": the other name");
        return ino;
    }

    private static void assertDirMoved(MetadataNode node, long src, long dst, long moved, boolean done, int dstNlink,
                                       String what) {
        Namespace ns = node.namespace();
        assertEquals(done ? dst : src, node.clusterNamespace().gateway().ask(moved, new DirCommand.GetParent()),
                what + ": parent pointer");
        assertEquals(done ? 2 : 3, ns.getattr(new InodeRef(src, src)).nlink(), what + ": source nlink");
        assertEquals(dstNlink, ns.getattr(new InodeRef(dst, dst)).nlink(), what + ": target nlink");
    }

    private static void assertFile(Namespace ns, InodeRef ref, long size, String tag, String what) {
        var a = ns.getattr(ref);
        assertEquals(1, a.nlink(), what + ": nlink");
        assertEquals(size, a.size(), what + ": size");
        assertEquals(0640, a.mode() & 07777, what + ": mode");
        assertArrayEquals(tag.getBytes(StandardCharsets.UTF_8), ns.getxattr(ref, "user.tag"), what + ": xattr");
    }

    private static void assertErrno(Errno errno, Runnable op, String what) {
        FsException e = assertThrows(FsException.class, op::run, what);
        assertEquals(errno, e.errno(), what + ": " + e.getMessage());
    }

    private static List<?> pending(MetadataNode node, long dir) {
        return (List<?>) node.clusterNamespace().gateway().ask(dir, new DirCommand.PendingIntents());
    }

    /** What the child printed, and how it ended. */
    private static final class Child {
        final List<String> lines = new ArrayList<>();
        final Map<String, Long> ino = new HashMap<>();
        final List<Scenario> started = new ArrayList<>();
        final Set<Scenario> done = EnumSet.noneOf(Scenario.class);
        final Set<Scenario> frozen = EnumSet.noneOf(Scenario.class);
        int exit;

        /** The rename that was running when the child died, or null. */
        Scenario halted() {
            for (Scenario s : started) {
                if (!done.contains(s) && !frozen.contains(s)) {
                    return s;
                }
            }
            return null;
        }
    }

    private Child runChild(String spec, Scenario dirScenario) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-D" + FaultPoints.PROPERTY + "=" + spec,
                "-Dtierfs.meta.intent-timeout=60s",     // no re-drive inside the child: frozen renames stay frozen
                "-Dtierfs.meta.rename-lock-lease=2s",   // a lock held by the dead child frees itself soon
                RenameUntilHalt.class.getName(), stateDir.toString(), dirScenario.name());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        Child c = new Child();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                c.lines.add(line);
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "INO" -> c.ino.put(f[1], Long.parseLong(f[2]));
                    case "START" -> c.started.add(Scenario.valueOf(f[1]));
                    case "DONE" -> c.done.add(Scenario.valueOf(f[1]));
                    case "FROZEN" -> c.frozen.add(Scenario.valueOf(f[1]));
                    default -> {
                    }
                }
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("child did not end; output: " + c.lines);
        }
        c.exit = p.exitValue();
        return c;
    }
}
