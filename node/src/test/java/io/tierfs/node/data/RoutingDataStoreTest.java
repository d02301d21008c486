package io.tierfs.node.data;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.DataStore;
import io.tierfs.tier.MoverStatus;
import io.tierfs.tier.TierUsage;
import io.tierfs.tier.net.ChunkClient;
import io.tierfs.tier.net.ChunkServer;
import io.tierfs.tier.net.DataPlaneSettings;
import io.tierfs.tier.net.FileDataRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two members over a real data plane, with 16-byte chunks so that short strings cross chunk boundaries: inode 1 is
 * homed on "a", inode 2 on "b"; each chunk is held by the member that first wrote it, whole-file calls reach every
 * holder.
 */
class RoutingDataStoreTest {
    static final int CHUNK = 16;

    @TempDir
    Path tmp;
    private final Map<Long, String> homes = new ConcurrentHashMap<>(Map.of(1L, "a", 2L, "b"));
    private final Map<String, InetSocketAddress> addresses = new ConcurrentHashMap<>();
    private final List<String> forgotten = Collections.synchronizedList(new ArrayList<>());
    private Member a;
    private Member b;

    /** One member: its local store, its claims, its routing view and its file data service. */
    private final class Member implements AutoCloseable {
        final String id;
        final Bytes local;
        final ChunkClaims claims;
        final RoutingDataStore routing;
        final ChunkServer server;

        Member(String id, long writeBehind) {
            this(id, writeBehind, CHUNK, CHUNK);
        }

        /** With claims of {@code unit} bytes over an engine of {@code chunk}-byte chunks. */
        Member(String id, long writeBehind, int unit, int chunk) {
            this.id = id;
            local = new Bytes(chunk);
            claims = new ChunkClaims(tmp.resolve(id), id, local::where, unit, chunk);
            routing = new RoutingDataStore(local, id, ino -> Optional.ofNullable(homes.get(ino)),
                    new RoutingDataStore.Peers() {
                        @Override
                        public InetSocketAddress of(String member) {
                            InetSocketAddress at = addresses.get(member);
                            if (at == null) {
                                throw FsException.of(Errno.EIO, "no member %s", member);
                            }
                            return at;
                        }

                        @Override
                        public void forget(String member) {
                            forgotten.add(member);
                        }
                    }, new ChunkClient(DataPlaneSettings.defaults().withConnectTimeout(Duration.ofSeconds(1))),
                    claims, writeBehind, 2);
            FileDataRepository served = new FileDataRepository(new ServedFileData(routing, local));
            served.serveClaims(claims::claim);
            server = new ChunkServer(served, "127.0.0.1", 0);
            addresses.put(id, server.address());
        }

        String read(long ino, int len) {
            ByteBuffer buf = ByteBuffer.allocate(len);
            routing.read(ino, 0, buf);
            return new String(buf.array(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            routing.close();
            server.close();
            claims.close();
        }
    }

    @BeforeEach
    void start() {
        a = new Member("a", 0);
        b = new Member("b", 0);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    @Test
    void eachChunkIsHeldByTheMemberThatFirstWroteItAndReadsFindItEverywhere() {
        b.routing.write(2, 0, utf8("0123456789abcdef")); // chunk 0, on the home
        a.routing.write(2, 16, utf8("ghijklmnopqrstuv")); // chunk 1: claimed by a, written into a's store
        a.routing.write(2, 4, utf8("AB")); // chunk 0 is b's: sent there
        b.routing.write(2, 20, utf8("CD")); // chunk 1 is a's: the home sends it there
        assertEquals("0123AB6789abcdef", b.local.text(2), "b holds chunk 0 only");
        assertEquals("\0".repeat(16) + "ghijCDmnopqrstuv", a.local.text(2), "a holds chunk 1 only");
        String whole = "0123AB6789abcdefghijCDmnopqrstuv";
        assertEquals(whole, a.read(2, 32));
        assertEquals(whole, b.read(2, 32));
        assertEquals("AB6789abcdefghijCD", read(a, 2, 4, 18), "a read across the two holders");
        assertEquals(List.of(1), indexes(a.routing.where(2)), "where: the chunks this member holds");
    }

    @Test
    void aChunkWithDataOnTheHomeStaysTheHomesAndASequentialWriterClaimsAhead() {
        b.routing.write(2, 40, utf8("x")); // chunk 2 has data on b before anyone claims
        a.routing.write(2, 32, utf8("yy"));
        assertEquals("yy", new String(Arrays.copyOfRange(b.local.files.get(2L), 32, 34), StandardCharsets.UTF_8));
        assertFalse(a.local.files.containsKey(2L), "chunk 2 was the home's: nothing written on a");
        a.routing.write(2, 48, utf8("z".repeat(16))); // chunk 3: a's
        a.routing.write(2, 64, utf8("w")); // chunk 4, after one chunk a holds: just that one
        assertEquals(null, b.claims.elsewhere(2, 5), "not claimed ahead after one chunk");
        a.routing.write(2, 80, utf8("w")); // chunk 5, after two chunks a holds: claims ahead
        assertEquals(Set.of("a"), b.claims.othersOf(2));
        for (long c = 5; c < 5 + RoutingDataStore.CLAIM_AHEAD; c++) {
            assertEquals("a", b.claims.elsewhere(2, c), "chunk " + c + " claimed ahead for a");
        }
        b.routing.write(2, 6 * CHUNK, utf8("v")); // the home writes into a chunk a claimed ahead: sent to a
        assertEquals('v', a.local.files.get(2L)[6 * CHUNK]);
    }

    /**
     * A writer that goes on at a stride has its next run of units claimed while it still holds half a run ahead,
     * before it gets there (off its write path: it does not wait for the home), and only once.
     */
    @Test
    void aSequentialWriterHasItsNextRunClaimedBeforeItGetsThere() throws Exception {
        for (int u = 0; u <= 2; u++) {
            a.routing.write(2, (long) u * CHUNK, utf8("w".repeat(CHUNK))); // at 2 (holding 0 and 1): claims a run
        }
        int run = RoutingDataStore.CLAIM_AHEAD;
        assertEquals("a", b.claims.elsewhere(2, 2 + run - 1), "the run claimed when the writer reached unit 2");
        assertNull(b.claims.elsewhere(2, 2 + run), "nothing beyond it yet");
        assertEquals(0, a.routing.claimsSentAhead());
        long lastWritten = 2 + run / 2 + 1; // from here on at most half a run ahead is held
        for (long u = 3; u <= lastWritten; u++) {
            a.routing.write(2, u * CHUNK, utf8("w".repeat(CHUNK)));
        }
        io.tierfs.common.time.Await.until(Duration.ofSeconds(10), "the next run claimed ahead for a",
                () -> "a".equals(b.claims.elsewhere(2, 2 + 2L * run - 1)));
        for (long u = 2 + run; u < 2 + 2L * run; u++) {
            assertEquals("a", b.claims.elsewhere(2, u), "unit " + u + " claimed ahead");
        }
        assertEquals(1, a.routing.claimsSentAhead(), "one claim ahead for the run");
        assertEquals((lastWritten + 1) * CHUNK, a.local.files.get(2L).length, "nothing written ahead");
        assertFalse(b.local.files.containsKey(2L), "nothing on the home");
    }

    @Test
    void truncateFsyncAndDeleteReachEveryHolder() {
        a.routing.write(2, 16, utf8("ghijklmnopqrstuv")); // a holds chunk 1 of b's file
        b.routing.write(2, 0, utf8("0123456789abcdef"));
        a.routing.truncate(2, 20); // sent to the home, which cuts its own chunks and a's
        assertEquals(20, a.local.files.get(2L).length);
        assertEquals("0123456789abcdefghij", b.read(2, 20));
        a.routing.fsync(2);
        assertEquals(List.of(2L), b.local.fsynced, "the home's chunks");
        assertEquals(List.of(2L), a.local.fsynced, "a's chunks, asked by the home");
        b.routing.delete(2);
        assertFalse(b.local.files.containsKey(2L));
        assertFalse(a.local.files.containsKey(2L), "the home frees every holder's chunks");
        assertEquals(Set.of(), b.claims.othersOf(2), "and forgets the claims");
    }

    @Test
    void anUnlinkOnAHolderFreesItsChunksAndTheHomes() {
        a.routing.write(2, 16, utf8("ghij"));
        b.routing.write(2, 0, utf8("0123"));
        a.routing.delete(2);
        assertFalse(b.local.files.containsKey(2L));
        assertFalse(a.local.files.containsKey(2L));
        a.routing.write(2, 16, utf8("new")); // a later file of the same number (never reused today): claims anew
        assertEquals("a", b.claims.elsewhere(2, 1));
    }

    @Test
    void appendsLandAfterTheLargestDataEndOverEveryHolder() {
        b.routing.write(2, 0, utf8("abc"));
        a.routing.write(2, 16, utf8("held-by-a")); // the file's end is on a now
        assertEquals(25, b.routing.append(2, 0, utf8("+b")), "the home's append counts a's data");
        assertEquals(27, a.routing.append(2, 0, utf8("+a")), "and so does an append sent to the home");
        assertEquals(40, b.routing.append(2, 40, utf8("!")), "after a larger size the caller knows");
        assertEquals("abc" + "\0".repeat(13) + "held-by-a+b+a" + "\0".repeat(11) + "!", b.read(2, 41));
        assertEquals(0, a.routing.append(1, 0, utf8("mine")), "a file homed here appends here");
        assertEquals("mine", a.local.text(1));
    }

    @Test
    void writersOnBothMembersRacingForTheSameChunksLeaveEveryByteReadableEverywhere() throws Exception {
        int chunks = 200;
        byte[] expected = new byte[chunks * CHUNK];
        new Random(42).nextBytes(expected);
        List<Runnable> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Member m = w % 2 == 0 ? a : b; // two writers on the home, two elsewhere, each a quarter of every chunk
            int quarter = w;
            writers.add(() -> {
                for (int c = 0; c < chunks; c++) {
                    int off = c * CHUNK + quarter * (CHUNK / 4);
                    m.routing.write(2, off, ByteBuffer.wrap(expected, off, CHUNK / 4));
                }
            });
        }
        runTogether(writers);
        assertReadsEverywhere(2, expected, a, b);
        unitsHeldElsewhere(b, a, 2, CHUNK, chunks);
    }

    /** Runs {@code writers} at the same time and waits for all of them (a failure is thrown). */
    private static void runTogether(List<Runnable> writers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Runnable w : writers) {
                done.add(pool.submit(w));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertReadsEverywhere(long ino, byte[] expected, Member... members) {
        for (Member m : members) {
            ByteBuffer got = ByteBuffer.allocate(expected.length);
            m.routing.read(ino, 0, got);
            assertArrayEquals(expected, got.array(), "every writer's bytes, read through " + m.id);
        }
    }

    /**
     * Checks that each of the first {@code units} units of {@code ino} (homed on {@code home}) has bytes on its
     * holder only, nothing on the other member; returns how many {@code other} holds.
     */
    private static int unitsHeldElsewhere(Member home, Member other, long ino, int unit, int units) {
        int onOther = 0;
        for (int u = 0; u < units; u++) {
            boolean homes = home.claims.elsewhere(ino, u) == null;
            onOther += homes ? 0 : 1;
            Member holder = homes ? home : other;
            Bytes notHolder = homes ? other.local : home.local;
            byte[] o = notHolder.files.getOrDefault(ino, new byte[0]);
            for (int i = u * unit; i < Math.min(o.length, (u + 1) * unit); i++) {
                assertEquals(0, o[i], "unit " + u + " is " + holder.id + "'s: nothing of it on the other member");
            }
        }
        return onOther;
    }

    @Test
    void queuedWritesToAnotherHolderLandBeforeCloseAndReadBackHere() {
        Member c = new Member("c", 1 << 20); // with write-behind
        try {
            b.routing.write(2, 0, utf8("0123456789abcdef"));
            c.routing.write(2, 2, utf8("xyz")); // chunk 0 is b's: queued
            assertEquals("01xyz", read(c, 2, 0, 5), "read-your-writes through the queue");
            c.routing.drain(2);
            assertEquals("01xyz56789abcdef", b.local.text(2));
        } finally {
            c.close();
        }
    }

    @Test
    void claimsSurviveTheHomesRestart() {
        a.routing.write(2, 16, utf8("ghij"));
        b.routing.fsync(2);
        b.close();
        b = new Member("b", 0); // the same state directory, a new port
        assertEquals("a", b.claims.elsewhere(2, 1));
        assertEquals("\0".repeat(16) + "ghij", b.read(2, 20), "the restarted home reads chunk 1 from a");
        b.routing.write(2, 18, utf8("!")); // and sends writes there
        assertEquals("gh!j", new String(Arrays.copyOfRange(a.local.files.get(2L), 16, 20), StandardCharsets.UTF_8));
    }

    @Test
    void anUnreachableHolderFailsWithEioNamingIt() {
        a.routing.write(2, 0, utf8("x")); // a holds chunk 0 of b's file
        b.server.close(); // its address stays: calls to it fail to connect
        FsException e = assertThrows(FsException.class, () -> a.routing.read(2, 16, ByteBuffer.allocate(10)));
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.getMessage().contains("data home b"), e.getMessage());
        assertTrue(e.getMessage().contains("inode 2"), e.getMessage());
        assertThrows(FsException.class, () -> a.routing.write(2, 16, utf8("x")), "a claim needs the home");
        assertThrows(FsException.class, () -> a.routing.fsync(2));
        assertThrows(FsException.class, () -> a.routing.append(2, 0, utf8("x")));
        assertEquals("x", read(a, 2, 0, 1), "a chunk held here still reads");
        a.routing.write(1, 0, utf8("y".repeat(16))); // a's own file, on a
        a.server.close();
        FsException h = assertThrows(FsException.class, () -> b.routing.read(1, 0, ByteBuffer.allocate(4)));
        assertTrue(h.getMessage().contains("inode 1") && h.getMessage().contains("data home a"), h.getMessage());
        assertTrue(forgotten.contains("b") && forgotten.contains("a"), "addresses looked up again: " + forgotten);
    }

    /**
     * Claim units smaller than the engine's chunks (16-byte units, 64-byte chunks): writers on two members that
     * interleave unit-sized transfers inside every chunk each keep their own units, and a writer at a stride claims
     * ahead at that stride only.
     */
    @Test
    void unitsSmallerThanChunksLetInterleavedWritersKeepTheirOwnBytesAndStridedWritersClaimAhead() throws Exception {
        int unit = 16;
        int chunk = 64;
        Member ua = new Member("ua", 0, unit, chunk);
        Member ub = new Member("ub", 0, unit, chunk);
        long ino = 3; // homed on ub
        try {
            // units of the home's file, before anyone claimed: chunk 0 was written by the home, so a unit of it
            // asked for later stays the home's (it may hold data there); chunk 1 is free, unit by unit
            homes.put(ino, "ub");
            ub.routing.write(ino, 0, utf8("B".repeat(unit)));
            ua.routing.write(ino, unit, utf8("a".repeat(unit)));
            assertNull(ub.claims.elsewhere(ino, 1), "a unit of a chunk the home wrote into before any claim");
            ua.routing.write(ino, 5L * unit, utf8("a".repeat(unit)));
            ub.routing.write(ino, 4L * unit, utf8("B".repeat(unit)));
            ua.routing.write(ino, 6L * unit, utf8("a".repeat(unit)));
            assertEquals("ua", ub.claims.elsewhere(ino, 5));
            assertEquals("ua", ub.claims.elsewhere(ino, 6), "the home wrote unit 4 of chunk 1 only, noted per unit");
            assertNull(ub.claims.elsewhere(ino, 4));
            ua.routing.write(ino, 4L * unit + 2, utf8("x")); // into the unit the home wrote after the first claim
            assertNull(ub.claims.elsewhere(ino, 4), "a unit the home wrote into stays the home's");
            assertEquals('x', ub.local.files.get(ino)[4 * unit + 2]);
            // a writes every other unit from unit 9: at 13 (holding 9 and 11) it claims 13, 15, ... ahead
            for (long u = 9; u <= 13; u += 2) {
                ua.routing.write(ino, u * unit, utf8("s".repeat(unit)));
            }
            for (int i = 0; i < RoutingDataStore.CLAIM_AHEAD; i++) {
                assertEquals("ua", ub.claims.elsewhere(ino, 13 + 2L * i), "claimed ahead at stride 2: " + i);
            }
            assertNull(ub.claims.elsewhere(ino, 14), "the units in between stay free");
            ub.routing.write(ino, 14L * unit, utf8("B".repeat(unit)));
            assertEquals("B".repeat(unit), new String(Arrays.copyOfRange(ub.local.files.get(ino), 14 * unit,
                    15 * unit), StandardCharsets.UTF_8), "the home writes the unit in between itself");

            // many interleaved writers, two per member, unit-sized transfers at a stride of 4 units
            long big = 4;
            homes.put(big, "ub");
            int units = 4 * 64;
            byte[] expected = new byte[units * unit];
            new Random(7).nextBytes(expected);
            // a claims its first unit before the home writes any: from then on the home notes its units one by one
            ua.routing.write(big, 0, ByteBuffer.wrap(expected, 0, unit));
            List<Runnable> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                Member m = w % 2 == 0 ? ua : ub;
                int first = w == 0 ? 4 : w;
                writers.add(() -> {
                    for (int u = first; u < units; u += 4) {
                        m.routing.write(big, (long) u * unit, ByteBuffer.wrap(expected, u * unit, unit));
                    }
                });
            }
            runTogether(writers);
            assertReadsEverywhere(big, expected, ua, ub);
            assertEquals(units / 2, unitsHeldElsewhere(ub, ua, big, unit, units), "ua holds exactly the units its writers wrote (never one at a stride it "
                    + "guessed that the home's writers wrote)");
        } finally {
            ua.close();
            ub.close();
        }
    }

    @Test
    void aMemberWithAnotherClaimUnitIsRefusedAndChangesNothing() {
        Member other = new Member("c", 0, CHUNK / 2, CHUNK);
        try {
            FsException e = assertThrows(FsException.class, () -> other.routing.write(2, 0, utf8("x")));
            assertEquals(Errno.EINVAL, e.errno(), e.getMessage());
            assertTrue(e.getMessage().contains("claim-unit"), e.getMessage());
            assertFalse(b.claims.anyElsewhere(2), "nothing claimed");
            assertFalse(b.local.files.containsKey(2L) || other.local.files.containsKey(2L), "nothing written");
        } finally {
            other.close();
        }
    }

    private static String read(Member m, long ino, long offset, int len) {
        ByteBuffer buf = ByteBuffer.allocate(len);
        m.routing.read(ino, offset, buf);
        return new String(buf.array(), StandardCharsets.UTF_8);
    }

    private static List<Integer> indexes(List<ChunkPlacement> ps) {
        List<Integer> out = new ArrayList<>();
        ps.forEach(p -> out.add(p.index()));
        return out;
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A data store in memory: one growing array per inode; a chunk "is here" once a byte was written into it. */
    static final class Bytes implements DataStore {
        final int chunk;
        final Map<Long, byte[]> files = new ConcurrentHashMap<>();
        final Map<Long, TreeSet<Integer>> chunks = new ConcurrentHashMap<>();
        final List<Long> fsynced = Collections.synchronizedList(new ArrayList<>());

        Bytes(int chunk) {
            this.chunk = chunk;
        }

        String text(long ino) {
            return new String(files.get(ino), StandardCharsets.UTF_8);
        }

        @Override
        public synchronized int read(long ino, long offset, ByteBuffer dst) {
            byte[] f = files.getOrDefault(ino, new byte[0]);
            int n = dst.remaining();
            for (int i = 0; i < n; i++) {
                long p = offset + i;
                dst.put(p < f.length ? f[(int) p] : 0);
            }
            return n;
        }

        @Override
        public synchronized void write(long ino, long offset, ByteBuffer src) {
            byte[] f = files.getOrDefault(ino, new byte[0]);
            int n = src.remaining();
            if (offset + n > f.length) {
                f = Arrays.copyOf(f, (int) offset + n);
            }
            src.get(f, (int) offset, n);
            files.put(ino, f);
            for (long p = offset; p < offset + Math.max(n, 1); p += chunk - p % chunk) {
                chunks.computeIfAbsent(ino, k -> new TreeSet<>()).add((int) (p / chunk));
            }
        }

        @Override
        public synchronized long dataEnd(long ino) {
            return files.getOrDefault(ino, new byte[0]).length;
        }

        @Override
        public synchronized void truncate(long ino, long size) {
            files.put(ino, Arrays.copyOf(files.getOrDefault(ino, new byte[0]), (int) size));
            TreeSet<Integer> c = chunks.get(ino);
            if (c != null) {
                c.tailSet((int) ((size + chunk - 1) / chunk)).clear();
            }
        }

        @Override
        public void fsync(long ino) {
            fsynced.add(ino);
        }

        @Override
        public synchronized void delete(long ino) {
            files.remove(ino);
            chunks.remove(ino);
        }

        @Override
        public synchronized List<ChunkPlacement> where(long ino) {
            List<ChunkPlacement> out = new ArrayList<>();
            for (int c : chunks.getOrDefault(ino, new TreeSet<>())) {
                out.add(new ChunkPlacement(c, "mem", "here", 0, chunk, false, null));
            }
            return out;
        }

        @Override
        public List<TierUsage> usage() {
            return List.of();
        }

        @Override
        public MoverStatus moverStatus() {
            return null;
        }

        @Override
        public void close() {
        }
    }
}
