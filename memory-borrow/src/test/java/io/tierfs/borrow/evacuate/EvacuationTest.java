package io.tierfs.borrow.evacuate;

import io.tierfs.borrow.lent.ChunkId;
import io.tierfs.borrow.lent.LentSpace;
import io.tierfs.common.config.TierKind;
import io.tierfs.common.config.TierSpec;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.engine.TierEngine;
import io.tierfs.tier.net.ChunkClient;
import io.tierfs.tier.net.ChunkServer;
import io.tierfs.tier.net.DataPlaneSettings;
import io.tierfs.tier.net.DirectoryChunkRepository;
import io.tierfs.tier.net.QuotaGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parallel evacuation of a lender (several movers) with real lenders (chunk servers over loopback, repositories in
 * a temp dir) under a real tier engine: it finishes while a writer keeps rewriting chunks, with every byte as last
 * written; and a deadline stops the movers with a clear incomplete result, nothing lost and no move left half done.
 */
class EvacuationTest {
    private static final int MIB = 1 << 20;
    private static final int FILES = 8;
    private static final int FILE_BYTES = 8 * MIB;
    private static final int MOVERS = 4;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final byte[][] model = new byte[FILES][];
    private DirectoryChunkRepository repoB;
    private LentSpace space;
    private TierEngine engine;

    @BeforeEach
    void start() {
        repoB = new DirectoryChunkRepository(dir.resolve("lend-b"), QuotaGate.UNLIMITED);
        DirectoryChunkRepository repoC = new DirectoryChunkRepository(dir.resolve("lend-c"), QuotaGate.UNLIMITED);
        ChunkServer serverB = new ChunkServer(repoB, "127.0.0.1", 0);
        ChunkServer serverC = new ChunkServer(repoC, "127.0.0.1", 0);
        ChunkClient client = new ChunkClient(new DataPlaneSettings(Duration.ofSeconds(2), Duration.ofSeconds(20), 2, 2));
        open.add(serverB);
        open.add(serverC);
        open.add(client);
        space = new LentSpace("a", 96L * MIB, client, 0);
        space.leaseGranted("b", serverB.address(), 48L * MIB);
        space.leaseGranted("c", serverC.address(), 48L * MIB);
        List<TierSpec> tiers = List.of(
                new TierSpec("dram", TierKind.DRAM, dir.resolve("unused-dram"), 96L * MIB, 0.95, 0.9),
                new TierSpec("ssd", TierKind.SSD, dir.resolve("ssd"), 512L * MIB, 0.95, 0.9),
                new TierSpec("hdd", TierKind.HDD, dir.resolve("hdd"), 512L * MIB, 0.95, 0.9));
        engine = new TierEngine(tiers, dir.resolve("layout"), MIB, null, Clock.systemUTC(), "a",
                s -> s.kind() == TierKind.DRAM ? space : TierEngine.localSpace(s));
        open.add(engine);
        Random r = new Random(42);
        for (int f = 0; f < FILES; f++) {
            model[f] = new byte[FILE_BYTES];
            r.nextBytes(model[f]);
            engine.write(ino(f), 0, ByteBuffer.wrap(model[f]));
        }
        engine.fsync(ino(FILES - 1)); // one clean file: its lent chunks are dropped, the others' flushed
        for (int f = 0; f < FILES; f++) {
            for (ChunkPlacement p : engine.where(ino(f))) {
                assertEquals("dram", p.tier(), "every chunk starts in lent memory");
            }
        }
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static long ino(int f) {
        return 100 + f;
    }

    private void assertContentsAsLastWritten() {
        for (int f = 0; f < FILES; f++) {
            ByteBuffer b = ByteBuffer.allocate(FILE_BYTES);
            engine.read(ino(f), 0, b);
            assertArrayEquals(model[f], b.array(), "file " + f + " reads as last written");
        }
    }

    private boolean anyOnB() {
        for (int f = 0; f < FILES; f++) {
            for (ChunkPlacement p : engine.where(ino(f))) {
                if ("b".equals(p.node())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> moverThreads() {
        List<String> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("tierfs-recall-")) {
                out.add(t.getName());
            }
        }
        return out;
    }

    @Test
    void parallelEvacuationFinishesWhileAWriterRewritesChunksAndLosesNothing() throws Exception {
        int chunksOnB = space.chunksOn("b").size();
        assertTrue(chunksOnB >= 24, "enough chunks on b to keep " + MOVERS + " movers busy: " + chunksOnB);
        AtomicBoolean evacuating = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger writesDuring = new AtomicInteger();
        AtomicReference<Throwable> writerFailed = new AtomicReference<>();
        CountDownLatch warmedUp = new CountDownLatch(20);
        Thread writer = new Thread(() -> {
            Random r = new Random(7);
            byte[] block = new byte[64 * 1024];
            try {
                // bounded, so that the chunks it rewrites cannot keep failing their moves for ever
                for (int i = 0; i < 600 && !done.get(); i++) {
                    int f = r.nextInt(FILES);
                    int off = r.nextInt(FILE_BYTES / block.length) * block.length;
                    r.nextBytes(block);
                    boolean during = evacuating.get();
                    engine.write(ino(f), off, ByteBuffer.wrap(block));
                    System.arraycopy(block, 0, model[f], off, block.length);
                    if (during && evacuating.get()) {
                        writesDuring.incrementAndGet();
                    }
                    warmedUp.countDown();
                }
            } catch (Throwable t) {
                writerFailed.set(t);
            }
        }, "evacuation-test-writer");
        writer.start();
        assertTrue(warmedUp.await(30, TimeUnit.SECONDS), "the writer got going");

        evacuating.set(true);
        EvacuationResult r = new Evacuation(engine, space, 0, Clock.systemUTC(), MOVERS)
                .run("b", Instant.now().plusSeconds(60));
        evacuating.set(false);
        done.set(true);
        writer.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(writer.isAlive(), "the writer stopped");
        assertNull(writerFailed.get(), () -> "the writer failed: " + writerFailed.get());

        assertTrue(r.complete(), r.summary());
        assertEquals("", r.problem(), r.summary());
        assertTrue(r.flushedBytes() > 0 && r.droppedCleanBytes() > 0, r.summary());
        assertTrue(writesDuring.get() > 0, "the writer wrote while the movers worked");
        assertEquals(0, repoB.usedBytes("a"), "b holds nothing of ours any more");
        assertTrue(space.chunksOn("b").isEmpty());
        assertFalse(anyOnB());
        assertContentsAsLastWritten();
        assertEquals(List.of(), moverThreads(), "the movers are gone after the run");
        assertTrue(space.removeLender("b"));
    }

    @Test
    void aDeadlineStopsTheMoversWithAClearIncompleteResultAndNothingLost() {
        List<ChunkId> onB = space.chunksOn("b");
        long half = repoB.usedBytes("a") / 2;
        // the deadline "passes" once half of b has been given back: the movers must then take no more chunks
        Clock clock = new SwitchingClock(() -> repoB.usedBytes("a") <= half);
        EvacuationResult r = new Evacuation(engine, space, 0, clock, MOVERS)
                .run("b", clock.instant().plusSeconds(60));

        assertFalse(r.complete(), r.summary());
        assertEquals("the deadline passed", r.problem(), r.summary());
        assertTrue(r.summary().contains("NOT finished") && r.summary().contains("the deadline passed"), r.summary());
        assertTrue(r.chunks() > 0, "some chunks went before the deadline: " + r.summary());
        int moved = onB.size() - r.remainingChunks();
        assertTrue(moved <= onB.size() / 2 + MOVERS,
                "no chunk taken after the deadline (at most the ones in hand): " + moved + " of " + onB.size());
        assertEquals(r.remainingChunks(), space.chunksOn("b").size());
        assertEquals(r.remainingBytes(), repoB.usedBytes("a"), "what is reported left is what b still holds");
        assertEquals(List.of(), moverThreads(), "the movers stopped");
        assertContentsAsLastWritten();

        // no move was left half done: every remaining chunk can still be moved, and a second run finishes
        EvacuationResult again = new Evacuation(engine, space, 0, Clock.systemUTC(), MOVERS)
                .run("b", Instant.now().plusSeconds(60));
        assertTrue(again.complete(), again.summary());
        assertEquals(0, repoB.usedBytes("a"));
        assertContentsAsLastWritten();
    }

    /** Reads a fixed instant until {@code passed} holds, then one an hour later. */
    private static final class SwitchingClock extends Clock {
        private final Instant t0 = Instant.parse("2026-11-21T12:00:00Z");
        private final BooleanSupplier passed;

        SwitchingClock(BooleanSupplier passed) {
            this.passed = passed;
        }

        @Override
        public Instant instant() {
            return passed.getAsBoolean() ? t0.plus(Duration.ofHours(1)) : t0;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
