package io.tierfs.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.tierfs.it.Await;
import io.tierfs.meta.testing.PostgresServer;
import io.tierfs.node.cli.GatewayClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File data shared between members (the foundation of issue 8): three mounted {@code tierfs node} processes; a file's
 * data lives on the member that created it (its data home) and every member reads and writes it through its own
 * mount, byte-exact. Reads after another member's writes rely on the open-time page-cache invalidation; no test
 * drops the kernel's page cache except the throughput measurement (which wants cold reads).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedFileDataTest {
    private static final Logger LOG = LoggerFactory.getLogger(SharedFileDataTest.class);
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    /** The fixture's chunk size. */
    private static final int CHUNK = MIB;
    /** The fixture's claim unit: a quarter chunk, so that writers on several members share chunks unit by unit. */
    private static final int UNIT = 256 * KIB;
    private static final Duration PUSH_BOUND = Duration.ofSeconds(5);
    private static final int RECORD_MAGIC = 0x41505044;
    private static final int RECORD_HEADER = 4 * 5;

    private static final ClusterNodeProcess[] nodes = new ClusterNodeProcess[3];
    private static final Path[] mnt = new Path[3];
    private static Path base;
    private static ClusterFixture fx;

    @BeforeAll
    static void start() throws Exception {
        base = Files.createTempDirectory(Path.of("/tmp"), "tierfs-shared-");
        fx = new ClusterFixture(base, PostgresServer.get().newDatabase(), 3)
                .withExtra("tierfs.lend.enabled = false\ntierfs.dataplane.claim-unit = " + UNIT);
        for (int i = 0; i < 3; i++) {
            mnt[i] = fx.mount(i);
        }
        fx.startAll(nodes, List.of("metadata", "data", "client", "gateway"));
        fx.awaitUp(3);
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
    void aFileWrittenOnOneMemberReadsIdenticalOnTheOthers() throws Exception {
        byte[] content = random(3 * MIB + 17, 1);
        Files.write(mnt[0].resolve("a.bin"), content);
        Await.until(PUSH_BOUND, "a.bin on B and C", () -> Files.exists(mnt[1].resolve("a.bin"))
                && Files.exists(mnt[2].resolve("a.bin")));
        assertArrayEquals(content, Files.readAllBytes(mnt[1].resolve("a.bin")), "B reads what A wrote");
        assertArrayEquals(content, Files.readAllBytes(mnt[2].resolve("a.bin")), "C reads what A wrote");
        // and the other way round: B writes into A's file, A and C read it
        try (FileChannel ch = FileChannel.open(mnt[1].resolve("a.bin"), StandardOpenOption.WRITE)) {
            byte[] patch = random(100 * KIB + 3, 2);
            ch.write(ByteBuffer.wrap(patch), MIB - 5);
            System.arraycopy(patch, 0, content, MIB - 5, patch.length);
        }
        assertArrayEquals(content, Files.readAllBytes(mnt[0].resolve("a.bin")), "A (the home) reads B's write");
        assertArrayEquals(content, Files.readAllBytes(mnt[2].resolve("a.bin")), "C reads B's write");
    }

    @Test
    @Order(2)
    void anOpenAfterAnotherMembersCloseDropsStalePagesWithoutDroppingCaches() throws Exception {
        Path onA = mnt[0].resolve("inval.bin");
        Path onB = mnt[1].resolve("inval.bin");
        byte[] v1 = random(256 * KIB, 3);
        Files.write(onA, v1);
        Await.until(PUSH_BOUND, "inval.bin on B", () -> Files.exists(onB));
        assertArrayEquals(v1, Files.readAllBytes(onB)); // B's kernel caches these pages
        assertArrayEquals(v1, Files.readAllBytes(onB)); // and may serve them again (nobody changed the file)
        byte[] v2 = random(256 * KIB, 4); // same size: only the mtime tells B
        try (FileChannel ch = FileChannel.open(onA, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(v2), 0);
        }
        assertArrayEquals(v2, Files.readAllBytes(onB), "B's open after A's close sees A's bytes, not cached pages");
        // the same from B to the home A, which had cached its own pages
        byte[] v3 = random(256 * KIB, 5);
        try (FileChannel ch = FileChannel.open(onB, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(v3), 0);
        }
        assertArrayEquals(v3, Files.readAllBytes(onA), "A's open after B's close sees B's bytes");
        // B keeps a handle open while A makes the file longer: a second open on B, and the old handle, see it all
        try (FileChannel held = FileChannel.open(onB, StandardOpenOption.READ)) {
            byte[] tail = random(100 * KIB, 6);
            try (FileChannel ch = FileChannel.open(onA, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(tail), v3.length);
            }
            byte[] all = Arrays.copyOf(v3, v3.length + tail.length);
            System.arraycopy(tail, 0, all, v3.length, tail.length);
            Await.until(PUSH_BOUND, "the longer size on B", () -> Files.size(onB) == all.length);
            assertArrayEquals(all, Files.readAllBytes(onB), "a new open on B while B holds another handle");
            ByteBuffer rest = ByteBuffer.allocate(tail.length);
            while (rest.hasRemaining() && held.read(rest, v3.length + rest.position()) > 0) {
                // reads until the end the handle now knows
            }
            assertArrayEquals(tail, rest.array(), "the handle B held across A's write reads the new end");
        }
    }

    @Test
    @Order(3)
    void writersOnEveryMemberWriteInterleavedStripesOfOneFile() throws Exception {
        int[] stripeSizes = {KIB, 47 * KIB, MIB, CHUNK + 1};
        int[] stripesPerWriter = {32, 8, 2, 2};
        int writersPerMember = 2;
        int writers = 3 * writersPerMember;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int s = 0; s < stripeSizes.length; s++) {
                int size = stripeSizes[s];
                int stripes = stripesPerWriter[s] * writers;
                String name = "stripes-" + size + ".bin";
                int home = s % 3; // homes vary: the creator is the data home
                createEverywhere(home, name);
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    Path file = mnt[writer / writersPerMember].resolve(name);
                    done.add(pool.submit(() -> writeStripes(file, writer, writers, stripes, size, () -> {
                    })));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                assertStripesEverywhere(name, stripes, size, writers, "home " + home);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void overlappingWritesOfSeveralMembersLeaveOneWritersBytesPerWriteCall() throws Exception {
        int block = 64 * KIB; // one FUSE request per write(2): applied whole by the home
        int blocks = 48;      // 3 MiB: several chunks
        String name = "overlap.bin";
        createEverywhere(1, name); // homed on B
        int writers = 6; // two per member, every one writes every block, in its own order, several times
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Path file = mnt[writer % 3].resolve(name);
                done.add(pool.submit(() -> {
                    Random order = new Random(writer);
                    ByteBuffer b = ByteBuffer.allocateDirect(block);
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        for (int round = 0; round < 3; round++) {
                            for (int i = 0; i < blocks; i++) {
                                int k = order.nextInt(blocks);
                                b.clear();
                                b.put(overlapPattern(writer, k, block)).flip();
                                long at = (long) k * block;
                                while (b.hasRemaining()) {
                                    at += ch.write(b, at);
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        byte[][] seen = new byte[3][];
        for (int m = 0; m < 3; m++) {
            seen[m] = Files.readAllBytes(mnt[m].resolve(name));
        }
        for (int m = 0; m < 3; m++) {
            assertArrayEquals(seen[0], seen[m], "member " + m + " reads what member 0 reads");
        }
        int[] owners = new int[writers];
        for (int k = 0; k < blocks; k++) {
            byte[] got = Arrays.copyOfRange(seen[0], k * block, (k + 1) * block);
            int owner = -1;
            for (int w = 0; w < writers && owner < 0; w++) {
                if (Arrays.equals(got, overlapPattern(w, k, block))) {
                    owner = w;
                }
            }
            if (owner < 0) {
                throw new AssertionError("block " + k + " holds no single writer's bytes (a mix or garbage)");
            }
            owners[owner]++;
        }
        LOG.info("overlapping writes: blocks won per writer {}", Arrays.toString(owners));
    }

    private static byte[] overlapPattern(int writer, int block, int size) {
        return random(size, 50_000L + writer * 1000L + block);
    }

    @Test
    @Order(4)
    void aTruncateOnOneMemberIsSeenOnTheHome() throws Exception {
        byte[] content = random(2 * MIB, 6);
        Path onA = mnt[0].resolve("trunc.bin");
        Path onB = mnt[1].resolve("trunc.bin");
        Files.write(onA, content);
        Await.until(PUSH_BOUND, "trunc.bin on B", () -> Files.exists(onB));
        try (RandomAccessFile f = new RandomAccessFile(onB.toFile(), "rw")) {
            f.setLength(1000);
        }
        Await.until(PUSH_BOUND, "size 1000 on A", () -> Files.size(onA) == 1000);
        assertArrayEquals(Arrays.copyOf(content, 1000), Files.readAllBytes(onA));
        try (RandomAccessFile f = new RandomAccessFile(onB.toFile(), "rw")) {
            f.setLength(5000); // grows with zeros: the cut bytes must not come back
        }
        Await.until(PUSH_BOUND, "size 5000 on A", () -> Files.size(onA) == 5000);
        assertArrayEquals(Arrays.copyOf(Arrays.copyOf(content, 1000), 5000), Files.readAllBytes(onA));
        assertArrayEquals(Arrays.copyOf(Arrays.copyOf(content, 1000), 5000), Files.readAllBytes(mnt[2].resolve("trunc.bin")));
    }

    @Test
    @Order(5)
    void eachChunkLandsOnTheMemberThatFirstWroteItAndAnUnlinkFreesEveryHolder() throws Exception {
        createEverywhere(0, "held.bin");
        long ino = ((Number) Files.getAttribute(mnt[0].resolve("held.bin"), "unix:ino")).longValue();
        byte[] content = random(6 * CHUNK, 11);
        try (FileChannel c = FileChannel.open(mnt[2].resolve("held.bin"), StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(content, 4 * CHUNK, 2 * CHUNK), 4 * CHUNK); // chunks 4-5, through C
        }
        try (FileChannel b = FileChannel.open(mnt[1].resolve("held.bin"), StandardOpenOption.WRITE)) {
            b.write(ByteBuffer.wrap(content, 0, 4 * CHUNK), 0); // chunks 0-3, through B
        }
        for (int m = 0; m < 3; m++) {
            assertArrayEquals(content, Files.readAllBytes(mnt[m].resolve("held.bin")), "read through member " + m);
        }
        assertEquals(0, chunkFilesOf(0, ino), "the home (A) holds no chunk of inode " + ino);
        assertTrue(chunkFilesOf(1, ino) >= 4, "B holds the chunks it wrote first: " + chunkFilesOf(1, ino));
        assertTrue(chunkFilesOf(2, ino) >= 2, "C holds the chunks it wrote first: " + chunkFilesOf(2, ino));
        Files.delete(mnt[2].resolve("held.bin"));
        Await.until(PUSH_BOUND, "every holder's chunks of inode " + ino + " freed",
                () -> chunkFilesOf(1, ino) == 0 && chunkFilesOf(2, ino) == 0);

        // claim units inside one chunk: B and C write alternate quarters of chunk 0, each into its own chunk file
        createEverywhere(0, "quarters.bin");
        long q = ((Number) Files.getAttribute(mnt[0].resolve("quarters.bin"), "unix:ino")).longValue();
        byte[] quarters = random(CHUNK, 12);
        try (FileChannel b = FileChannel.open(mnt[1].resolve("quarters.bin"), StandardOpenOption.WRITE);
             FileChannel c = FileChannel.open(mnt[2].resolve("quarters.bin"), StandardOpenOption.WRITE)) {
            for (int u = 0; u < CHUNK / UNIT; u++) {
                (u % 2 == 0 ? b : c).write(ByteBuffer.wrap(quarters, u * UNIT, UNIT), (long) u * UNIT);
            }
        }
        for (int m = 0; m < 3; m++) {
            assertArrayEquals(quarters, Files.readAllBytes(mnt[m].resolve("quarters.bin")), "through member " + m);
        }
        assertEquals(0, chunkFilesOf(0, q), "the home (A) holds none of inode " + q);
        assertEquals(1, chunkFilesOf(1, q), "B holds its quarters of chunk 0");
        assertEquals(1, chunkFilesOf(2, q), "C holds its quarters of chunk 0");
        Files.delete(mnt[1].resolve("quarters.bin"));
        Await.until(PUSH_BOUND, "both holders' chunks of inode " + q + " freed",
                () -> chunkFilesOf(1, q) == 0 && chunkFilesOf(2, q) == 0);
    }

    /**
     * Checkpoint rotation across members: a name B's kernel still holds (entry timeout) that A removed is created
     * again through B by open(O_CREAT) (B's OPEN answers ESTALE, the kernel looks the name up again), by mkdir and by
     * O_CREAT|O_EXCL (the kernel looks names up again for those), and an open without O_CREAT fails with ENOENT, not
     * with a stale file. Right after the removal B's lookups may still be answered from its cache until A's pushed
     * invalidation arrives (docs/consistency.md, guarantee 4: milliseconds, at most the cache TTL of 1 s), so an
     * exclusive create may fail with EEXIST within that bound; no create ever fails with ENOENT (B's kernel asks
     * for the attributes of the name it holds before it opens, and got ENOENT there before KernelHeldNames).
     */
    @Test
    @Order(5)
    void aNameRemovedOnAnotherMemberIsCreatedAgainThroughAnother() throws Exception {
        Path onA = mnt[0].resolve("rotated.ckpt");
        Path onB = mnt[1].resolve("rotated.ckpt");
        Files.write(onA, "first".getBytes(StandardCharsets.UTF_8));
        assertEquals("first", Files.readString(onB), "B's kernel now holds the name");
        Files.delete(onA);
        withinCacheBound("open without O_CREAT through B fails with ENOENT", () -> {
            try {
                Files.newInputStream(onB).close();
                return false;
            } catch (java.nio.file.NoSuchFileException e) {
                return true;
            }
        });
        recreateThroughB("again.ckpt", p -> Files.createFile(p), // O_CREAT|O_EXCL
                p -> Files.write(p, "second".getBytes(StandardCharsets.UTF_8))); // O_CREAT|O_TRUNC
        assertEquals("second", Files.readString(mnt[0].resolve("again.ckpt")), "the new file, read through A");
        Files.delete(mnt[1].resolve("again.ckpt"));
        recreateThroughB("again.lock", p -> Files.createFile(p), p -> Files.createFile(p));
        assertTrue(Files.isRegularFile(mnt[0].resolve("again.lock")));
        Files.delete(mnt[1].resolve("again.lock"));
        recreateThroughB("again.d", p -> Files.createDirectory(p), p -> Files.createDirectory(p));
        assertTrue(Files.isDirectory(mnt[0].resolve("again.d")), "the new directory, seen through A");
        Files.delete(mnt[1].resolve("again.d"));
    }

    /** An I/O step on a path. */
    private interface PathStep {
        void apply(Path p) throws IOException;
    }

    /** Creates {@code name} through A, lets B's kernel hold it, removes it through A and creates it through B. */
    private static void recreateThroughB(String name, PathStep createOnA, PathStep createOnB) throws Exception {
        Path onA = mnt[0].resolve(name);
        Path onB = mnt[1].resolve(name);
        createOnA.apply(onA);
        assertTrue(Files.exists(onB), "B's kernel now holds " + name);
        Files.delete(onA);
        withinCacheBound("creating " + name + " through B after A removed it", () -> {
            try {
                createOnB.apply(onB);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                LOG.info("{} through B right after its removal through A: {} (B's cache not yet invalidated)",
                        name, e.toString());
                return false;
            } // anything else, ENOENT above all (B's kernel still holding the name), fails the test at once
        });
    }

    private static void withinCacheBound(String what, java.util.concurrent.Callable<Boolean> condition)
            throws Exception {
        Await.until(Duration.ofSeconds(3), what, condition);
    }

    @Test
    @Order(5)
    void anUnlinkOnAnotherMemberFreesTheDataOnTheHome() throws Exception {
        Path onA = mnt[0].resolve("gone.bin");
        try (FileChannel ch = FileChannel.open(onA, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(random(3 * MIB, 7)));
            ch.force(true);
        }
        long ino = ((Number) Files.getAttribute(onA, "unix:ino")).longValue();
        assertTrue(chunkFilesOf(0, ino) > 0, "A holds the data of inode " + ino);
        Path onB = mnt[1].resolve("gone.bin");
        Await.until(PUSH_BOUND, "gone.bin on B", () -> Files.exists(onB));
        Files.delete(onB);
        Await.until(PUSH_BOUND, "A's chunks of inode " + ino + " freed", () -> chunkFilesOf(0, ino) == 0);
    }

    @Test
    @Order(5)
    void aFileUnlinkedElsewhereStaysWholeForTheHomesOpenHandleUntilItsLastClose() throws Exception {
        Path onA = mnt[0].resolve("open-on-home.bin");
        byte[] content = random(2 * MIB + 5, 10);
        Files.write(onA, content);
        long ino = ((Number) Files.getAttribute(onA, "unix:ino")).longValue();
        Path onB = mnt[1].resolve("open-on-home.bin");
        Await.until(PUSH_BOUND, "open-on-home.bin on B", () -> Files.exists(onB));
        try (FileChannel ch = FileChannel.open(onA, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Files.delete(onB); // the last name goes, on another member than the home
            Await.until(PUSH_BOUND, "the name gone from A's listing", () -> {
                try (Stream<Path> names = Files.list(mnt[0])) {
                    return names.noneMatch(p -> p.getFileName().toString().equals("open-on-home.bin"));
                }
            });
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "1"); // the handle reads from the home's tiers
            ByteBuffer all = ByteBuffer.allocate(content.length);
            while (all.hasRemaining() && ch.read(all, all.position()) > 0) {
                // until the end the handle knows
            }
            assertArrayEquals(content, all.array(), "A's open handle still reads every byte");
            ch.write(ByteBuffer.wrap(new byte[]{42}), 7); // and writes
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, 7);
            assertEquals(42, one.get(0));
            assertEquals(content.length, ch.size(), "fstat of the nameless file");
            assertTrue(chunkFilesOf(0, ino) > 0, "the data stays on A while A has the file open");
        }
        Await.until(PUSH_BOUND, "A's chunks of inode " + ino + " freed at the last close",
                () -> chunkFilesOf(0, ino) == 0);
    }

    @Test
    @Order(6)
    void measureRemoteAgainstLocalSequentialThroughput() throws Exception {
        int size = 64 * MIB;
        byte[] block = random(MIB, 8);
        double localW = writeSeq(mnt[1].resolve("local64.bin"), block, size);
        Files.write(mnt[0].resolve("remote64.bin"), new byte[0]); // homed on A
        Await.until(PUSH_BOUND, "remote64.bin on B", () -> Files.exists(mnt[1].resolve("remote64.bin")));
        double remoteW = writeSeq(mnt[1].resolve("remote64.bin"), block, size);
        Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "1"); // cold reads
        double localR = readSeq(mnt[1].resolve("local64.bin"), block, size);
        double remoteR = readSeq(mnt[1].resolve("remote64.bin"), block, size);
        LOG.info("64 MiB sequential on B: write local {} MiB/s, homed on A {} MiB/s; read local {} MiB/s, "
                + "homed on A {} MiB/s", fmt(localW), fmt(remoteW), fmt(localR), fmt(remoteR));
        System.out.printf("MEASURED 64 MiB on B: write local %.0f MiB/s, remote %.0f MiB/s; read local %.0f MiB/s, "
                + "remote %.0f MiB/s%n", localW, remoteW, localR, remoteR);
        Files.delete(mnt[1].resolve("local64.bin"));
        Files.delete(mnt[1].resolve("remote64.bin"));
    }

    @Test
    @Order(6)
    void benchSharedComparesSharedFilesWithFilePerProcessThroughEveryMount() throws Exception {
        io.tierfs.bench.SharedBenchOptions o = io.tierfs.bench.SharedBenchOptions.parse(List.of(
                mnt[0].toString(), mnt[1].toString(), mnt[2].toString(), "--procs", "3", "--size", "4m",
                "--rounds", "2", "--warmup", "1m"));
        io.tierfs.bench.SharedBenchReport r = io.tierfs.bench.SharedBench.run(o, System.out);
        System.out.println(r.toTable());
        assertEquals(12, r.rows().size(),
                "two rounds of three layouts, each there and back (the warm-up is not reported)");
        for (io.tierfs.bench.SharedBenchReport.Row row : r.rows()) {
            assertTrue(row.writeMiBps() > 0 && row.readMiBps() > 0, row.toString());
        }
        assertTrue(r.toJson().contains("\"shared-strided\""), r.toJson());
        try (Stream<Path> left = Files.list(mnt[0])) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("tierfs-bench-shared-")),
                    "the bench removes its files");
        }
    }

    @Test
    @Order(7)
    void appendsFromEveryMemberLandWholeOnceAndInEachWritersOrder() throws Exception {
        int writersPerMember = 3;
        int writers = 3 * writersPerMember;
        int perWriter = 8;
        int[] sizes = {4 * KIB, 100 * KIB};
        String name = "appended.log";
        Files.write(mnt[1].resolve(name), new byte[0]); // homed on B: A and C append remotely, B locally
        for (Path m : mnt) {
            Await.until(PUSH_BOUND, name + " everywhere", () -> Files.exists(m.resolve(name)));
        }
        long total = 0;
        for (int w = 0; w < writers; w++) {
            for (int q = 0; q < perWriter; q++) {
                total += sizes[(w + q) % sizes.length];
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Path file = mnt[writer / writersPerMember].resolve(name);
                done.add(pool.submit(() -> {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                        for (int q = 0; q < perWriter; q++) {
                            byte[] rec = record(writer, q, sizes[(writer + q) % sizes.length]);
                            assertEquals(rec.length, ch.write(ByteBuffer.wrap(rec)), "one write(2) per record");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long sum = total;
        for (int m = 0; m < 3; m++) {
            Path file = mnt[m].resolve(name);
            byte[] all = Files.readAllBytes(file); // close-to-open: the open asks the directory for the size
            assertEquals(total, all.length, name + " read on member " + m);
            checkRecords(all, writers, perWriter, "member " + m);
            // a stat is answered from the member's cache, which the other members' size updates reach as pushes
            Await.until(PUSH_BOUND, "size " + sum + " of " + name + " on member " + m, () -> Files.size(file) == sum);
        }
        // one more append from each member: lands at the end every member agrees on, and stat says so at once
        for (int m = 0; m < 3; m++) {
            byte[] rec = record(writers + m, 0, 4 * KIB);
            try (FileChannel ch = FileChannel.open(mnt[m].resolve(name), StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ch.write(ByteBuffer.wrap(rec));
                total += rec.length;
                assertEquals(total, Files.size(mnt[m].resolve(name)), "stat on member " + m + " after its append");
            }
        }
        byte[] all = Files.readAllBytes(mnt[0].resolve(name));
        assertEquals(total, all.length);
        for (int m = 0; m < 3; m++) {
            assertArrayEquals(record(writers + m, 0, 4 * KIB), Arrays.copyOfRange(all, (int) total - (3 - m) * 4 * KIB,
                    (int) total - (2 - m) * 4 * KIB), "the last appends in the order they were made");
        }
    }

    @Test
    @Order(8)
    void writersOnEveryMemberWriteInterleavedStripesWhileTheFileIsMigratedOnEveryHolder() throws Exception {
        int[] stripeSizes = {KIB, 47 * KIB, MIB, CHUNK + 1};
        int[] stripesPerWriter = {32, 8, 2, 2};
        int writersPerMember = 2;
        int writers = 3 * writersPerMember;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            for (int s = 0; s < stripeSizes.length; s++) {
                int size = stripeSizes[s];
                int stripes = stripesPerWriter[s] * writers;
                String name = "migrated-" + size + ".bin";
                int home = (s + 1) % 3;
                createEverywhere(home, name);
                java.util.concurrent.CountDownLatch moved = new java.util.concurrent.CountDownLatch(1);
                java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
                Future<Long> migrator = pool.submit(() -> migrateWhile(name, writing, moved));
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    Path file = mnt[writer / writersPerMember].resolve(name);
                    // halfway: go on only once a move of this file has switched on a member
                    done.add(pool.submit(() -> writeStripes(file, writer, writers, stripes, size, () ->
                            assertTrue(moved.await(120, java.util.concurrent.TimeUnit.SECONDS),
                                    "a move of " + name + " on a member within 120 s"))));
                }
                try {
                    for (Future<?> f : done) {
                        f.get();
                    }
                } finally {
                    writing.set(false);
                }
                long moves = migrator.get();
                LOG.info("{} (home {}): {} chunk moves switched while {} writers wrote it", name, home, moves, writers);
                assertTrue(moves > 0, "chunks of " + name + " moved during the writes");
                assertStripesEverywhere(name, stripes, size, writers, "home " + home + ", migrated " + moves + " times");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Forces moves of {@code name}'s chunks on every member that holds some until {@code writing} ends: every chunk
     * one tier down (POST mover/demote-all), then a pre-stage of the file back up to DRAM (the live mover), member by
     * member. Counts the chunks whose generation or tier changed over each round (moves of this file only) and opens
     * {@code moved} once there is one.
     */
    private static long migrateWhile(String name, java.util.concurrent.atomic.AtomicBoolean writing,
                                     java.util.concurrent.CountDownLatch moved) throws Exception {
        String where = "/api/v1/where/" + GatewayClient.encodePath(name);
        long moves = 0;
        int rounds = 0;
        try {
            while (writing.get() || rounds == 0) {
                for (int m = 0; m < 3; m++) {
                    GatewayClient gw = GatewayClient.forStateDir(fx.state(m));
                    java.util.Map<Integer, String> before = placements(gw.get(where));
                    gw.send("POST", "/api/v1/mover/demote-all", null, Duration.ofSeconds(120));
                    JsonNode ps = gw.send("POST", "/api/v1/prestage", "{\"paths\": [\"/" + name + "\"], "
                            + "\"tier\": \"dram\", \"deadline\": \"2m\"}");
                    String id = ps.path("id").asText();
                    Await.until(Duration.ofSeconds(60), "pre-stage " + id + " of " + name + " settled on member " + m,
                            () -> {
                                String st = gw.get("/api/v1/prestage/" + id).path("state").asText();
                                return st.equals("DONE") || st.equals("NOTHING_MATCHED") || st.equals("BLOCKED");
                            });
                    java.util.Map<Integer, String> after = placements(gw.get(where));
                    for (java.util.Map.Entry<Integer, String> e : before.entrySet()) {
                        String now = after.get(e.getKey());
                        if (now != null && !now.equals(e.getValue())) {
                            moves++;
                        }
                    }
                }
                rounds++;
                if (moves > 0) {
                    moved.countDown();
                }
            }
        } finally {
            moved.countDown(); // a failed migrator must not hold the writers: the assertions tell
        }
        return moves;
    }

    /** Chunk index to "tier/generation" from a where answer. */
    private static java.util.Map<Integer, String> placements(JsonNode where) {
        java.util.Map<Integer, String> out = new java.util.HashMap<>();
        for (JsonNode c : where.path("chunks")) {
            out.put(c.path("index").asInt(), c.path("tier").asText() + "/" + c.path("generation").asLong());
        }
        return out;
    }

    @Test
    @Order(10)
    void aDeadHomeGivesAClearErrorNotZeros() throws Exception {
        Path onC = mnt[2].resolve("dies.bin");
        Files.write(onC, random(MIB, 9));
        Path onB = mnt[1].resolve("dies.bin");
        Await.until(PUSH_BOUND, "dies.bin on B", () -> Files.exists(onB));
        try (FileChannel ch = FileChannel.open(onB, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            nodes[2].kill9();
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> ch.read(ByteBuffer.allocate(64 * KIB), 0));
            LOG.info("read of a file whose home is dead failed after {} ms: {}", (System.nanoTime() - t0) / 1_000_000,
                    e.toString());
            assertTrue(e.getMessage().contains("Input/output error") || e.getMessage().contains("timed out"),
                    e.getMessage());
            assertThrows(IOException.class, () -> {
                ch.write(ByteBuffer.wrap(new byte[4096]), 0);
                ch.force(false);
            });
        }
        String log = String.join("\n", Files.readAllLines(base.resolve("node-1-1.log")));
        assertTrue(log.contains("data home " + fx.memberId(2)), "B's log names the dead home");
    }

    // ---------------------------------------------------------------- helpers

    /** An empty file created through member {@code home}'s mount (its data home), once every member sees it. */
    private static void createEverywhere(int home, String name) throws Exception {
        Files.write(mnt[home].resolve(name), new byte[0]);
        for (Path m : mnt) {
            Await.until(PUSH_BOUND, name + " everywhere", () -> Files.exists(m.resolve(name)));
        }
    }

    /** What a writer blocks on half way through its stripes (a condition of the test), or nothing. */
    private interface Halfway {
        void await() throws Exception;
    }

    /** Writer {@code writer} of {@code writers} writes stripes writer, writer+writers, ... of {@code file}. */
    private static Void writeStripes(Path file, int writer, int writers, int stripes, int size, Halfway halfway)
            throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            int half = stripes / writers / 2;
            int j = 0;
            for (int k = writer; k < stripes; k += writers, j++) {
                if (j == half) {
                    halfway.await();
                }
                ByteBuffer b = ByteBuffer.wrap(stripe(k, size));
                long at = (long) k * size;
                while (b.hasRemaining()) {
                    at += ch.write(b, at);
                }
            }
        }
        return null;
    }

    /**
     * Every member reads {@code name} whole: the size and every stripe as its writer wrote it. An open after the
     * writers' closes sees their size at once (close-to-open, docs/consistency.md guarantee 3); a plain stat may
     * answer from the member's cache until the writers' size updates are pushed to it (guarantee 4: milliseconds,
     * at most the cache TTL), so it is awaited.
     */
    private static void assertStripesEverywhere(String name, int stripes, int size, int writers, String about)
            throws Exception {
        long expected = (long) stripes * size;
        for (int m = 0; m < 3; m++) {
            Path file = mnt[m].resolve(name);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                assertEquals(expected, ch.size(), "size of " + name + " opened on member " + m);
            }
            Await.until(Duration.ofSeconds(10), "the size of " + name + " stat'ed on member " + m + " is " + expected,
                    () -> Files.size(file) == expected);
            byte[] all = Files.readAllBytes(file);
            assertEquals(expected, all.length, name + " read on member " + m);
            for (int k = 0; k < stripes; k++) {
                if (!Arrays.equals(stripe(k, size), Arrays.copyOfRange(all, k * size, (k + 1) * size))) {
                    throw new AssertionError("stripe " + k + " of " + name + " (" + about + ") read on member " + m
                            + " differs from what writer " + (k % writers) + " wrote");
                }
            }
        }
    }

    private static double writeSeq(Path file, byte[] block, int size) throws IOException {
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int off = 0; off < size; off += block.length) {
                ByteBuffer b = ByteBuffer.wrap(block);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            ch.force(true);
        }
        return size / (double) MIB / ((System.nanoTime() - t0) / 1e9);
    }

    private static double readSeq(Path file, byte[] block, int size) throws IOException {
        long t0 = System.nanoTime();
        ByteBuffer b = ByteBuffer.allocate(block.length);
        long total = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                b.clear();
                int n = readFully(ch, b);
                if (n == 0) {
                    break;
                }
                if (n == block.length) {
                    assertArrayEquals(block, b.array(), "block at " + total + " of " + file);
                }
                total += n;
            }
        }
        assertEquals(size, total);
        return size / (double) MIB / ((System.nanoTime() - t0) / 1e9);
    }

    private static int readFully(FileChannel ch, ByteBuffer b) throws IOException {
        int n = 0;
        while (b.hasRemaining()) {
            int r = ch.read(b);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    private static String fmt(double v) {
        return String.format("%.0f", v);
    }

    /** Chunk files of {@code ino} in member {@code i}'s tier directories. */
    private static long chunkFilesOf(int i, long ino) throws IOException {
        long n = 0;
        for (Path dir : List.of(Path.of("/dev/shm", base.getFileName() + "-dram-" + i), base.resolve("ssd-" + i),
                base.resolve("hdd-" + i))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                n += s.filter(p -> p.getFileName().toString().startsWith(ino + ".")).count();
            }
        }
        return n;
    }

    /**
     * A self-describing append record: magic, writer, sequence, length, CRC32C of the body, then the body
     * (pseudo-random from writer and sequence).
     */
    private static byte[] record(int writer, int seq, int size) {
        byte[] body = random(size - RECORD_HEADER, writer * 1_000_003L + seq);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(size).putInt(RECORD_MAGIC).putInt(writer).putInt(seq).putInt(size)
                .putInt((int) crc.getValue()).put(body).array();
    }

    /** Fails unless {@code file} is every writer's records, each exactly once, whole, in the writer's order. */
    private static void checkRecords(byte[] file, int writers, int perWriter, String where) {
        int[] next = new int[writers];
        ByteBuffer b = ByteBuffer.wrap(file);
        while (b.hasRemaining()) {
            int at = b.position();
            if (b.remaining() < RECORD_HEADER || b.getInt() != RECORD_MAGIC) {
                throw new AssertionError(where + ": no record header at " + at);
            }
            int writer = b.getInt();
            int seq = b.getInt();
            int size = b.getInt();
            b.getInt(); // the CRC: the whole record is compared below
            if (writer < 0 || writer >= writers || size < RECORD_HEADER || size - RECORD_HEADER > b.remaining()) {
                throw new AssertionError(where + ": bad record header at " + at + ": writer " + writer + ", size " + size);
            }
            if (!Arrays.equals(record(writer, seq, size), Arrays.copyOfRange(file, at, at + size))) {
                throw new AssertionError(where + ": record " + writer + "/" + seq + " at " + at + " is corrupt");
            }
            if (seq != next[writer]) {
                throw new AssertionError(where + ": record " + writer + "/" + seq + " at " + at + ", expected "
                        + writer + "/" + next[writer]);
            }
            next[writer]++;
            b.position(at + size);
        }
        for (int w = 0; w < writers; w++) {
            assertEquals(perWriter, next[w], where + ": records of writer " + w);
        }
    }

    private static byte[] stripe(int k, int size) {
        return random(size, 1000L + k);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
