package io.tierfs.it.cluster;

import io.tierfs.it.Await;
import io.tierfs.meta.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * fcntl record locks and flock across cluster members (issue 8): three mounted {@code tierfs node} processes. Files
 * are created on member 0, which is thus their data home and keeps their locks; "A" is a process on member 2,
 * "B" processes on member 1. The lockers are python3 child processes ({@link Locker}). The last test kills
 * member 2 (A's member, not the home) with kill -9 and expects A's locks to be released when the cluster removes
 * it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedFileLockTest {
    private static final Logger LOG = LoggerFactory.getLogger(SharedFileLockTest.class);
    private static final Duration PUSH_BOUND = Duration.ofSeconds(5);
    private static final Duration ANSWER = Duration.ofSeconds(15);
    /** A removed member's locks are released within this after its kill (downing ~10-20 s, plus a 5 s re-ask). */
    private static final Duration CRASH_RELEASE_BOUND = Duration.ofSeconds(60);
    private static final int EAGAIN = 11;

    private static final ClusterNodeProcess[] nodes = new ClusterNodeProcess[3];
    private static final Path[] mnt = new Path[3];
    private static Path base;
    private static ClusterFixture fx;
    private final List<Locker> lockers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        base = Files.createTempDirectory(Path.of("/tmp"), "tierfs-locks-");
        fx = new ClusterFixture(base, PostgresServer.get().newDatabase(), 3)
                .withExtra("tierfs.lend.enabled = false");
        for (int i = 0; i < 3; i++) {
            mnt[i] = fx.mount(i);
        }
        fx.startAll(nodes, List.of("metadata", "data", "client", "gateway"));
        fx.awaitUp(3);
    }

    @AfterEach
    void killLockers() throws InterruptedException {
        for (Locker l : lockers) {
            l.kill9();
        }
        lockers.clear();
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = nodes.length - 1; i >= 0; i--) {
            if (nodes[i] != null) {
                nodes[i].stop();
            }
        }
        if (fx != null) {
            fx.cleanUp();
        }
    }

    @Test
    @Order(1)
    void aWriteLockOnOneMemberBlocksOverlappingLocksOnAnother() throws Exception {
        String name = createOnHome("posix.lck");
        Locker a = locker("A", mnt[2].resolve(name));
        assertEquals("ok", a.ask("posix W 0 100 wait", ANSWER), "A takes [0, 99]");
        Locker b = locker("B", mnt[1].resolve(name));
        b.send("posix W 50 100 wait"); // overlaps A's lock: waits

        Locker probe = locker("B-probe", mnt[1].resolve(name));
        assertEquals("err " + EAGAIN, probe.ask("posix W 0 10 nb", ANSWER), "F_SETLK on B: EAGAIN");
        assertEquals("err " + EAGAIN, probe.ask("posix R 99 1 nb", ANSWER), "a read lock conflicts with a write lock");
        // the holder is on another machine: its pid means nothing here and is reported as 0
        assertEquals("lk W 0 100 0", probe.ask("getlk W 0 0", ANSWER), "F_GETLK on B reports A's lock");
        assertEquals("lk U", probe.ask("getlk W 100 50", ANSWER), "nothing held there (B only waits for it)");
        assertEquals("ok", probe.ask("posix W 200 10 nb", ANSWER), "a range apart locks at once");
        assertEquals("ok", probe.ask("unlock 200 10", ANSWER));

        // a waiter that is killed while it waits goes away at once (the kernel interrupts its request)
        Locker doomed = locker("B-doomed", mnt[1].resolve(name));
        doomed.send("posix W 0 1 wait");
        assertEquals("lk W 0 100 0", probe.ask("getlk W 0 1", ANSWER)); // a round trip after the doomed ask
        doomed.kill9();
        assertFalse(doomed.process().isAlive(), "a process killed in F_SETLKW exits");

        assertFalse(b.answered(), "B's F_SETLKW returned while A holds the lock");
        assertEquals("ok", a.ask("unlock 0 0", ANSWER), "A releases");
        assertEquals("ok", b.answer(ANSWER), "B's F_SETLKW returns once A released");
        assertEquals("err " + EAGAIN, a.ask("posix W 60 1 nb", ANSWER), "B holds [50, 149] now");
        assertEquals("ok", a.ask("posix W 0 50 nb", ANSWER), "and nothing else: the killed waiter holds nothing");
    }

    @Test
    @Order(2)
    void flockExcludesAcrossMembersAndIsReleasedOnClose() throws Exception {
        String name = createOnHome("flock.lck");
        Locker a = locker("A", mnt[2].resolve(name));
        assertEquals("ok", a.ask("flock EX wait", ANSWER));
        Locker b = locker("B", mnt[1].resolve(name));
        assertEquals("err " + EAGAIN, b.ask("flock EX nb", ANSWER), "LOCK_NB: EWOULDBLOCK");
        assertEquals("err " + EAGAIN, b.ask("flock SH nb", ANSWER), "shared conflicts with exclusive");
        Locker other = locker("B-posix", mnt[1].resolve(name));
        assertEquals("ok", other.ask("posix W 0 0 nb", ANSWER), "flock and fcntl locks do not conflict");
        b.send("flock SH wait");
        assertEquals("lk W 0 0 0", a.ask("getlk W 0 0", ANSWER), "A sees B's fcntl lock (pid 0: another member)");
        assertFalse(b.answered(), "B's flock returned while A holds LOCK_EX");
        assertEquals("bye", a.ask("exit", ANSWER), "A closes its file (exits) without LOCK_UN");
        assertEquals("ok", b.answer(ANSWER), "B's flock returns once A's file is closed");
        Locker a2 = locker("A2", mnt[2].resolve(name));
        assertEquals("ok", a2.ask("flock SH nb", ANSWER), "shared with B's shared lock");
        assertEquals("err " + EAGAIN, a2.ask("flock EX nb", ANSWER), "B still holds LOCK_SH");
    }

    @Test
    @Order(3)
    void twoProcessesOnOneMemberWaitForEachOtherWithoutDeadlock() throws Exception {
        String name = createOnHome("local.lck");
        Locker p1 = locker("B1", mnt[1].resolve(name));
        Locker p2 = locker("B2", mnt[1].resolve(name));
        assertEquals("ok", p1.ask("posix W 0 0 wait", ANSWER));
        assertEquals("lk W 0 0 " + p1.pid(), p2.ask("getlk W 10 1", ANSWER), "same member: the holder's pid");
        p2.send("posix W 0 0 wait");
        Locker p3 = locker("B3", mnt[1].resolve(name));
        assertEquals("err " + EAGAIN, p3.ask("posix R 0 1 nb", ANSWER), "the mount still serves others");
        assertFalse(p2.answered(), "B2's F_SETLKW returned while B1 holds the lock");
        assertEquals("ok", p1.ask("unlock 0 0", ANSWER), "B1's unlock is served while B2's wait holds a thread");
        assertEquals("ok", p2.answer(ANSWER));
        assertEquals("ok", p2.ask("unlock 0 0", ANSWER));
        // and on the home member itself, whose lock service is local
        Locker h1 = locker("H1", mnt[0].resolve(name));
        Locker h2 = locker("H2", mnt[0].resolve(name));
        assertEquals("ok", h1.ask("posix W 0 0 wait", ANSWER));
        h2.send("posix R 0 0 wait");
        assertEquals("err " + EAGAIN, p3.ask("posix R 0 1 nb", ANSWER), "B sees H1's lock");
        assertFalse(h2.answered(), "H2's F_SETLKW returned while H1 holds the lock");
        assertEquals("bye", h1.ask("exit", ANSWER), "H1 exits holding its lock");
        assertEquals("ok", h2.answer(ANSWER), "H2 gets the lock H1's exit released");
    }

    @Test
    @Order(4)
    void killOfTheHoldersMemberReleasesItsLocks() throws Exception {
        String name = createOnHome("crash.lck");
        Locker a = locker("A", mnt[2].resolve(name));
        assertEquals("ok", a.ask("posix W 0 0 wait", ANSWER));
        assertEquals("ok", a.ask("flock EX nb", ANSWER));
        Locker b = locker("B", mnt[1].resolve(name));
        b.send("posix W 0 10 wait");
        Locker bf = locker("B-flock", mnt[1].resolve(name));
        bf.send("flock EX wait");
        Locker probe = locker("B-probe", mnt[1].resolve(name));
        assertEquals("err " + EAGAIN, probe.ask("posix W 5 1 nb", ANSWER));
        assertFalse(b.answered() || bf.answered(), "B waits while A's member lives");

        long t0 = System.nanoTime();
        nodes[2].kill9();
        assertEquals("ok", b.answer(CRASH_RELEASE_BOUND), "B's F_SETLKW returns after A's member is removed");
        assertEquals("ok", bf.answer(CRASH_RELEASE_BOUND), "B's flock too");
        LOG.info("locks of the killed member released {} ms after its kill -9",
                (System.nanoTime() - t0) / 1_000_000);
        Await.until(PUSH_BOUND, "the home logs the release of A's 2 locks", () -> Files.readAllLines(
                base.resolve("node-0-1.log")).stream().anyMatch(l -> l.contains("left the cluster: released its 2 locks")));
    }

    // ---------------------------------------------------------------- helpers

    /** Creates {@code name} through member 0 (its data home) and waits until the other members see it. */
    private static String createOnHome(String name) throws Exception {
        Files.write(mnt[0].resolve(name), new byte[4096]);
        for (Path m : mnt) {
            Await.until(PUSH_BOUND, name + " on " + m, () -> Files.exists(m.resolve(name)));
        }
        return name;
    }

    private Locker locker(String name, Path file) throws IOException {
        Locker l = Locker.open(name, file);
        lockers.add(l);
        return l;
    }
}
