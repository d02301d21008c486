package io.tierfs.node.data;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteBehindTest {

    /** A home whose writes take a random short time, so queued writes land out of order unless ordered. */
    private static final class SlowHome implements WriteBehind.Sink {
        final byte[] file = new byte[1 << 20];
        final Random random = new Random(7);
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        volatile FsException failNext;

        @Override
        public void write(long ino, long offset, ByteBuffer data) {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                int delay;
                synchronized (random) {
                    delay = random.nextInt(3);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delay)); // models latency
                FsException f = failNext;
                if (f != null) {
                    failNext = null;
                    throw f;
                }
                synchronized (file) {
                    data.get(file, (int) offset, data.remaining());
                }
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    @Test
    void overlappingWritesLandInTheOrderTheyWereMadeAndDisjointOnesTravelTogether() {
        SlowHome home = new SlowHome();
        WriteBehind wb = new WriteBehind(home, 4, 1 << 20);
        byte[] expected = new byte[1 << 20];
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) {
            int off = r.nextInt(expected.length - 4096);
            int len = 1 + r.nextInt(4096);
            byte[] b = new byte[len];
            r.nextBytes(b);
            System.arraycopy(b, 0, expected, off, len);
            wb.write(1, off, ByteBuffer.wrap(b));
        }
        wb.drain(1);
        synchronized (home.file) {
            assertArrayEquals(expected, home.file, "each byte holds the last write made to it");
        }
        assertTrue(home.maxInFlight.get() > 1, "disjoint writes were sent concurrently: " + home.maxInFlight.get());
        assertEquals(0, wb.queuedBytes());
        wb.close();
    }

    @Test
    void theCallersBufferIsFreeOnceWriteReturns() {
        // FUSE hands every write request in the same native buffer, reused as soon as the write returns
        SlowHome home = new SlowHome();
        WriteBehind wb = new WriteBehind(home, 3, 256 * 1024);
        ByteBuffer reused = ByteBuffer.allocateDirect(64 * 1024);
        byte[] expected = new byte[1 << 20];
        Random r = new Random(11);
        for (int i = 0; i < 300; i++) {
            int len = 1 + r.nextInt(reused.capacity());
            int off = r.nextInt(expected.length - len);
            byte[] b = new byte[len];
            r.nextBytes(b);
            System.arraycopy(b, 0, expected, off, len);
            reused.clear();
            reused.put(b).flip();
            wb.write(3, off, reused);
            assertEquals(reused.limit(), reused.position(), "the write consumed the caller's bytes");
            reused.clear();
            reused.put(new byte[reused.capacity()]); // the caller scribbles over its buffer at once
        }
        wb.drain(3);
        synchronized (home.file) {
            assertArrayEquals(expected, home.file, "every write landed with the bytes it had when it was made");
        }
        wb.close();
    }

    @Test
    void contiguousQueuedWritesTravelAsOneRequestOfAtMostABatch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<long[]> requests = Collections.synchronizedList(new ArrayList<>());
        byte[] file = new byte[4 << 20];
        WriteBehind wb = new WriteBehind((ino, off, data) -> {
            try {
                release.await(10, TimeUnit.SECONDS); // the first request holds the only sender: the rest queue up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            requests.add(new long[]{off, data.remaining()});
            synchronized (file) {
                data.get(file, (int) off, data.remaining());
            }
        }, 1, 8 << 20);
        byte[] expected = new byte[file.length];
        new Random(3).nextBytes(expected);
        int piece = 128 * 1024;
        for (int off = 0; off < 3 * WriteBehind.MAX_BATCH; off += piece) {
            wb.write(2, off, ByteBuffer.wrap(expected, off, piece)); // a sequential writer's FUSE requests
        }
        wb.write(2, 3L * WriteBehind.MAX_BATCH + piece, ByteBuffer.wrap(expected, 3 * WriteBehind.MAX_BATCH + piece,
                piece)); // after a gap: a request of its own
        release.countDown();
        wb.drain(2);
        byte[] got;
        synchronized (file) {
            got = java.util.Arrays.copyOf(file, 3 * WriteBehind.MAX_BATCH + 2 * piece);
        }
        byte[] want = java.util.Arrays.copyOf(expected, got.length);
        java.util.Arrays.fill(want, 3 * WriteBehind.MAX_BATCH, 3 * WriteBehind.MAX_BATCH + piece, (byte) 0);
        assertArrayEquals(want, got, "every byte where it was written, the gap untouched");
        List<long[]> seen = new ArrayList<>(requests);
        // 3 MiB contiguous need at least 3 requests of 1 MiB, the write after the gap one more; the first write may
        // have left alone, before the others were queued
        assertTrue(seen.size() >= 4 && seen.size() <= 5, "25 queued writes of 128 KiB sent as few requests: "
                + seen.size());
        for (long[] r : seen) {
            assertTrue(r[1] <= WriteBehind.MAX_BATCH, "a request carries at most a batch: " + r[1]);
        }
        assertEquals(3L * WriteBehind.MAX_BATCH + piece, seen.get(seen.size() - 1)[0], "the write after the gap");
        assertEquals(0, wb.queuedBytes());
        wb.close();
    }

    @Test
    void aReadWaitsForTheQueuedWritesItOverlaps() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean landed = new AtomicBoolean();
        WriteBehind wb = new WriteBehind((ino, off, data) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            landed.set(true);
        }, 2, 1 << 20);
        wb.write(5, 100, ByteBuffer.wrap(new byte[50]));
        wb.awaitRange(5, 0, 100); // does not overlap [100, 150): returns at once
        assertTrue(!landed.get());
        Thread releaser = new Thread(release::countDown);
        releaser.start();
        wb.awaitRange(5, 120, 10);
        assertTrue(landed.get(), "the overlapping read waited for the write");
        wb.close();
    }

    @Test
    void aFailedWriteIsReportedOnceByTheNextDrainAndNothingIsLeftQueued() {
        SlowHome home = new SlowHome();
        home.failNext = FsException.of(Errno.ENOSPC, "home full");
        WriteBehind wb = new WriteBehind(home, 1, 1 << 20);
        wb.write(9, 0, ByteBuffer.wrap(new byte[10]));
        FsException e = assertThrows(FsException.class, () -> wb.drain(9));
        assertEquals(Errno.ENOSPC, e.errno());
        assertTrue(e.getMessage().contains("home full"), e.getMessage());
        wb.drain(9); // reported once
        wb.write(9, 0, ByteBuffer.wrap(new byte[]{1, 2, 3}));
        wb.drain(9);
        assertEquals(1, home.file[0]);
        wb.close();
    }

    @Test
    void aWriterBeyondTheBudgetWaitsForTheHome() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Long> landed = Collections.synchronizedList(new ArrayList<>());
        WriteBehind wb = new WriteBehind((ino, off, data) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            landed.add(off);
        }, 4, 100);
        wb.write(1, 0, ByteBuffer.wrap(new byte[60]));
        AtomicBoolean secondQueued = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            wb.write(1, 60, ByteBuffer.wrap(new byte[60])); // 120 > 100: waits until the first landed
            secondQueued.set(true);
        });
        writer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // until the writer parks in the budget wait
        }
        assertEquals(Thread.State.WAITING, writer.getState());
        assertTrue(!secondQueued.get(), "the second write waits while the budget is full");
        release.countDown();
        writer.join(10_000);
        assertTrue(secondQueued.get());
        wb.drain(1);
        assertEquals(List.of(0L, 60L), landed.stream().sorted().toList());
        wb.close();
    }
}
