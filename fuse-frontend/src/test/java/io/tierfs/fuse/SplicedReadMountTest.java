package io.tierfs.fuse;

import io.tierfs.common.config.TierKind;
import io.tierfs.common.config.TierSpec;
import io.tierfs.meta.local.LocalNamespace;
import io.tierfs.meta.testing.TestFiles;
import io.tierfs.tier.engine.TierEngine;
import io.tierfs.vfs.Vfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads through a real mount over the real tier engine, answered with chunk files' descriptors that libfuse
 * splices ({@link SplicedReads}): the bytes are exact (full chunks, short last chunks, holes, unaligned ranges,
 * a file whose name is gone), the descriptors handed over are closed again, and with splice off every byte is
 * copied as before.
 */
class SplicedReadMountTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;
    private final Path dram = Path.of("/dev/shm", "tierfs-test-" + UUID.randomUUID());
    private TierEngine engine;
    private LocalNamespace ns;
    private TierFuse fs;
    private FuseMount mount;

    @AfterEach
    void unmount() throws Exception {
        System.clearProperty(TierFuse.SPLICE_PROPERTY);
        MountTeardown.unmountThenClose(mount, engine, ns, () -> TestFiles.deleteTree(dram));
    }

    private Path mount(boolean singleThreaded) throws IOException {
        List<TierSpec> tiers = List.of(
                new TierSpec("dram", TierKind.DRAM, dram, 256L * MIB, 0.9, 0.7),
                new TierSpec("ssd", TierKind.SSD, tmp.resolve("ssd"), 1L << 30, 0.9, 0.7),
                new TierSpec("hdd", TierKind.HDD, tmp.resolve("hdd"), 1L << 30, 0.9, 0.7));
        engine = new TierEngine(tiers, tmp.resolve("layout"), MIB, null, Clock.systemUTC(), "local");
        ns = new LocalNamespace(Clock.systemUTC());
        fs = new TierFuse(new Vfs(ns, engine, Clock.systemUTC()));
        Path mp = Files.createDirectory(tmp.resolve("mnt"));
        mount = FuseMount.mount(fs, mp, List.of(), singleThreaded);
        return mp;
    }

    /**
     * Read-only descriptors of this process on files under {@code dir}: the ones handed to libfuse (the engine's
     * own channels of chunk files are read-write).
     */
    private static long readOnlyDescriptorsUnder(Path dir) throws IOException {
        long n = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).startsWith(dir) && Files.readAllLines(
                            Path.of("/proc/self/fdinfo/" + fd.getFileName())).stream().anyMatch(
                                    l -> l.startsWith("flags:") && (Integer.parseInt(l.substring(6).trim(), 8) & 3) == 0)) {
                        n++;
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        return n;
    }

    @ParameterizedTest(name = "single-threaded libfuse: {0}")
    @ValueSource(booleans = {true, false})
    void coldReadsAreSplicedFromTheChunkFilesAndReadBackExactly(boolean singleThreaded) throws IOException {
        Path mp = mount(singleThreaded);
        Path full = mp.resolve("full.bin");
        byte[] content = FuseRequestSizeTest.random(6 * MIB + 12_345, 1);
        FuseRequestSizeTest.writeAt(full, content, 0);
        Path holed = mp.resolve("holed.bin");
        byte[] island = FuseRequestSizeTest.random(100 * 1024, 2);
        FuseRequestSizeTest.writeAt(holed, island, 3L * MIB + 5);
        byte[] holedContent = new byte[3 * MIB + 5 + island.length];
        System.arraycopy(island, 0, holedContent, 3 * MIB + 5, island.length);

        assertArrayEquals(content, FuseRequestSizeTest.readDirect(full));
        assertTrue(fs.splicedReadBytes() >= content.length,
                "every chunk (the short last one too) was handed over as a file: " + fs.splicedReadBytes());
        assertArrayEquals(holedContent, FuseRequestSizeTest.readDirect(holed));
        // unaligned, through the page cache after it was dropped by O_DIRECT reads: read(2) at odd offsets
        try (FileChannel ch = FileChannel.open(full)) {
            ByteBuffer b = ByteBuffer.allocate(2 * MIB + 77);
            ch.read(b, MIB - 33);
            assertArrayEquals(java.util.Arrays.copyOfRange(content, MIB - 33, 3 * MIB + 44), b.array());
        }
        // at most the two chunk files of one request per libfuse thread (each thread closes its own at its next call)
        assertTrue(fs.heldReadDescriptors() <= 2 * fs.readThreads(), "descriptors held for replies: "
                + fs.heldReadDescriptors() + " by " + fs.readThreads() + " threads");
        // a libfuse thread's next request (an asynchronous RELEASE, a read-ahead) closes what it held meanwhile
        assertTrue(Await.until(java.time.Duration.ofSeconds(10), () -> {
            try {
                return fs.heldReadDescriptors() == readOnlyDescriptorsUnder(dram);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }), "nothing open but what is held: " + fs.heldReadDescriptors() + " held, "
                + readOnlyDescriptorsUnder(dram) + " open");

        mount.close();
        mount = null;
        assertEquals(0, fs.heldReadDescriptors(), "every descriptor closed once the loop ended");
        assertEquals(0, readOnlyDescriptorsUnder(dram), "no chunk file left open for a reply");
    }

    /**
     * libfuse's multithreaded loop starts threads for bursts of requests and ends those beyond ten idle ones; the
     * descriptors such a thread held for its last reply must be closed too, or the chunk files of removed files stay
     * allocated (on the DRAM tier: memory) until the node stops.
     */
    @Test
    void descriptorsOfLibfuseThreadsThatEndedAreClosed() throws Exception {
        Path mp = mount(false);
        int readers = 24;
        byte[] content = FuseRequestSizeTest.random(2 * MIB, 5);
        List<Path> files = new java.util.ArrayList<>();
        for (int i = 0; i < readers; i++) {
            Path f = mp.resolve("burst-" + i + ".bin");
            FuseRequestSizeTest.writeAt(f, content, 0);
            files.add(f);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(readers);
        try {
            for (int burst = 0; burst < 6; burst++) {
                List<java.util.concurrent.Future<byte[]>> reads = new java.util.ArrayList<>();
                for (Path f : files) {
                    reads.add(pool.submit(() -> FuseRequestSizeTest.readDirect(f)));
                }
                for (java.util.concurrent.Future<byte[]> r : reads) {
                    assertArrayEquals(content, r.get());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        // one entry per libfuse thread (the JVM gives each call of a native thread a new Thread object: not those,
        // which would be one per call here, 288 or more). libfuse starts a thread whenever none is idle and ends
        // those beyond ten idle ones, so over six bursts of 24 readers it may have run a few more than 48 (50 seen).
        assertTrue(fs.readThreads() <= 4 * readers, "threads tracked: " + fs.readThreads());
        for (Path f : files) {
            Files.delete(f);
        }
        // a few requests (far fewer than any thread's thousand calls): every live thread's next call closes what it
        // held, and the first call a second after the last sweep closes what ended threads held
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        long open;
        int probes = 0;
        do {
            Thread.onSpinWait();
            Files.exists(mp.resolve("probe-" + probes++));
            open = readOnlyDescriptorsUnder(dram);
        } while (open > 0 && System.nanoTime() < deadline);
        assertEquals(0, open, "descriptors of removed chunk files still open after " + probes + " requests (held: "
                + fs.heldReadDescriptors() + " by " + fs.readThreads() + " threads)");
    }

    @Test
    void aFileWhoseNameIsGoneIsStillReadExactly() throws IOException {
        Path mp = mount(true);
        Path f = mp.resolve("doomed.bin");
        byte[] content = FuseRequestSizeTest.random(3 * MIB + 999, 3);
        FuseRequestSizeTest.writeAt(f, content, 0);
        // O_DIRECT: every byte through FUSE READs (the pages written are cached otherwise)
        int block = 4096;
        ByteBuffer b = ByteBuffer.allocateDirect(content.length + 2 * block).alignedSlice(block);
        b.limit((content.length + block - 1) / block * block);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            Files.delete(f);
            while (b.position() < content.length && ch.read(b, b.position()) > 0) {
                // to the end (the last read is short)
            }
        }
        assertEquals(content.length, b.position());
        byte[] back = new byte[content.length];
        b.flip().get(back);
        assertArrayEquals(content, back);
        assertTrue(fs.splicedReadBytes() > 0);
    }

    @Test
    void aSpliceSettingThatIsNeitherTrueNorFalseIsRefused() {
        System.setProperty(TierFuse.SPLICE_PROPERTY, "yes");
        ns = new LocalNamespace(Clock.systemUTC());
        Vfs vfs = new Vfs(ns, new io.tierfs.vfs.InMemoryDataStore(MIB), Clock.systemUTC());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TierFuse(vfs));
        assertTrue(e.getMessage().contains(TierFuse.SPLICE_PROPERTY) && e.getMessage().contains("yes"),
                e.getMessage());
    }

    @Test
    void withSpliceOffEveryByteIsCopiedAndRequestsStayAtOneMiB() throws IOException {
        System.setProperty(TierFuse.SPLICE_PROPERTY, "false");
        Path mp = mount(true);
        Path f = mp.resolve("copied.bin");
        byte[] content = FuseRequestSizeTest.random(4 * MIB + 1, 4);
        FuseRequestSizeTest.writeAt(f, content, 0);
        assertArrayEquals(content, FuseRequestSizeTest.readDirect(f));
        assertEquals(0, fs.splicedReadBytes());
        assertEquals(MIB, mount.largestRead());
    }
}
