package io.tierfs.meta.cluster;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Caller;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.common.fault.FaultPoints;
import io.tierfs.meta.Await;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.client.CrossDirRename;
import io.tierfs.meta.state.DirCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A coordinator (client thread) that dies in the middle of a cross-directory rename while every entity lives on:
 * the source directory notices that the intent stayed open longer than {@code tierfs.meta.intent-timeout} and
 * drives the rename to its end by itself (done, or undone when the target refuses it meanwhile), and a rename lock
 * the dead coordinator held is released by that re-drive.
 */
class CoordinatorDeathTest {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorDeathTest.class);
    private static final Duration INTENT_TIMEOUT = Duration.ofSeconds(2);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @TempDir
    static Path stateDir;
    private static MetadataNode node;
    private static Namespace ns;

    @BeforeAll
    static void start() {
        node = MetadataNode.start(stateDir, Clock.systemUTC(), Caller.ROOT, ConfigFactory.parseString(
                "tierfs.meta.intent-timeout = " + INTENT_TIMEOUT.toMillis() + "ms"));
        ns = node.namespace();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @AfterEach
    void disarm() {
        FaultPoints.disarmAll();
    }

    private static long dir(String name) {
        return ns.mkdir(InodeRef.ROOT_INO, name + "-" + COUNTER.incrementAndGet(), 0755, Caller.ROOT).ref().ino();
    }

    private static List<?> pending(long dir) {
        return (List<?>) node.clusterNamespace().gateway().ask(dir, new DirCommand.PendingIntents());
    }

    /** Waits until the source has no intent left; returns how long that took. */
    private static long awaitClosed(long src, long since) {
        Await.until(INTENT_TIMEOUT.multipliedBy(5), "the source directory ends the rename", () -> pending(src).isEmpty());
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static void assertErrno(Errno errno, Runnable op) {
        FsException e = assertThrows(FsException.class, op::run);
        assertEquals(errno, e.errno(), e.getMessage());
    }

    /** A second directory rename takes the lock at once (the dead coordinator's lock does not linger). */
    private static void assertLockFree() {
        long a = dir("la");
        long b = dir("lb");
        long x = ns.mkdir(a, "x", 0755, Caller.ROOT).ref().ino();
        long t0 = System.nanoTime();
        ns.rename(a, "x", b, "x");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(x, ns.lookup(b, "x").ref().ino());
        LOG.info("a directory rename after the re-drive took {} ms", ms);
    }

    @Test
    void fileRenameIsFinishedByTheSourceDirectory() {
        long src = dir("s");
        long dst = dir("t");
        long f = ns.create(src, "f", 0644, Caller.ROOT, true).ref().ino();
        long victim = ns.create(dst, "f", 0644, Caller.ROOT, true).ref().ino();
        FaultPoints.arm(CrossDirRename.AFTER_PUT, FaultPoints.Action.THROW);
        long t0 = System.nanoTime();
        assertThrows(FaultPoints.Injected.class, () -> ns.rename(src, "f", dst, "f"));
        assertFalse(pending(src).isEmpty(), "the dead coordinator left its intent open");
        assertErrno(Errno.EBUSY, () -> ns.create(src, "f", 0644, Caller.ROOT, true));   // reserved until closed
        long ms = awaitClosed(src, t0);
        assertEquals(f, ns.lookup(dst, "f").ref().ino());
        assertEquals(1, ns.lookup(dst, "f").attr().nlink());
        assertErrno(Errno.ENOENT, () -> ns.lookup(src, "f"));
        assertErrno(Errno.ENOENT, () -> ns.getattr(new InodeRef(victim, dst)));
        ns.create(src, "f", 0644, Caller.ROOT, true);   // the name is free again
        LOG.info("file rename finished by its source directory {} ms after its coordinator died (intent timeout {})",
                ms, INTENT_TIMEOUT);
    }

    @Test
    void directoryRenameIsFinishedAndItsLockReleased() {
        long src = dir("s");
        long dst = dir("t");
        long d = ns.mkdir(src, "d", 0755, Caller.ROOT).ref().ino();
        ns.create(d, "inside", 0644, Caller.ROOT, true);
        long victim = ns.mkdir(dst, "d", 0755, Caller.ROOT).ref().ino();
        FaultPoints.arm(CrossDirRename.AFTER_VICTIM_MARKED, FaultPoints.Action.THROW);
        long t0 = System.nanoTime();
        assertThrows(FaultPoints.Injected.class, () -> ns.rename(src, "d", dst, "d"));
        long ms = awaitClosed(src, t0);
        assertEquals(d, ns.lookup(dst, "d").ref().ino());
        assertEquals(dst, node.clusterNamespace().gateway().ask(d, new DirCommand.GetParent()));
        assertErrno(Errno.ENOENT, () -> ns.lookup(src, "d"));
        assertEquals(0, ns.getattr(new InodeRef(victim, victim)).nlink(), "victim removed");
        assertEquals(2, ns.getattr(new InodeRef(src, src)).nlink());
        assertEquals(3, ns.getattr(new InodeRef(dst, dst)).nlink());
        assertEquals(1, ns.lookup(d, "inside").attr().nlink());
        assertLockFree();
        LOG.info("directory rename finished by its source directory {} ms after its coordinator died", ms);
    }

    @Test
    void renameRefusedMeanwhileIsUndoneBySourceDirectory() {
        long src = dir("s");
        long dst = dir("t");
        long d = ns.mkdir(src, "d", 0755, Caller.ROOT).ref().ino();
        long victim = ns.mkdir(dst, "d", 0755, Caller.ROOT).ref().ino();
        FaultPoints.arm(CrossDirRename.AFTER_INTENT, FaultPoints.Action.THROW);
        long t0 = System.nanoTime();
        assertThrows(FaultPoints.Injected.class, () -> ns.rename(src, "d", dst, "d"));
        assertErrno(Errno.ENOENT, () -> ns.lookup(src, "d"));   // in flight: the source name left with the intent
        ns.create(victim, "blocker", 0644, Caller.ROOT, true);   // the victim is no longer empty: ENOTEMPTY
        long ms = awaitClosed(src, t0);
        assertEquals(d, ns.lookup(src, "d").ref().ino(), "the source name is back");
        assertEquals(src, node.clusterNamespace().gateway().ask(d, new DirCommand.GetParent()));
        assertEquals(victim, ns.lookup(dst, "d").ref().ino());
        ns.create(victim, "more", 0644, Caller.ROOT, true);   // the victim was not left "removing"
        assertEquals(3, ns.getattr(new InodeRef(src, src)).nlink());
        assertLockFree();
        LOG.info("refused rename undone by its source directory {} ms after its coordinator died", ms);
    }
}
