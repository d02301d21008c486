package io.tierfs.node.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadWindowsTest {
    private static final int KIB128 = 128 * 1024;

    /** A home holding one file; counts the reads it serves. */
    private static final class Home implements ReadWindows.Fetch {
        byte[] file;
        final AtomicInteger reads = new AtomicInteger();

        Home(int size, long seed) {
            file = new byte[size];
            new Random(seed).nextBytes(file);
        }

        @Override
        public int read(long ino, long offset, ByteBuffer dst) {
            reads.incrementAndGet();
            int n = (int) Math.max(0, Math.min(dst.remaining(), file.length - offset));
            dst.put(file, (int) offset, n);
            return n;
        }
    }

    private static byte[] read(ReadWindows w, Home home, long off, int len) {
        ByteBuffer b = ByteBuffer.allocate(len);
        int n = w.read(1, off, b, home);
        if (n < 0) {
            home.read(1, off, b); // as RoutingDataStore does: straight to the home
            n = b.position();
        }
        return Arrays.copyOf(b.array(), n);
    }

    @Test
    void aSequentialReaderFetchesOneWindowPerBlock() {
        Home home = new Home(4 * ReadWindows.WINDOW, 1);
        ReadWindows w = new ReadWindows(8);
        for (int off = 0; off < home.file.length; off += KIB128) {
            assertArrayEquals(Arrays.copyOfRange(home.file, off, off + KIB128), read(w, home, off, KIB128), "at " + off);
        }
        // the first request goes alone (no streak yet), then one fetch per 1 MiB block
        assertEquals(1 + 4, home.reads.get());
        assertEquals(4, w.fetches());
    }

    @Test
    void smallOrRandomReadsGoStraightToTheHome() {
        Home home = new Home(8 * ReadWindows.WINDOW, 2);
        ReadWindows w = new ReadWindows(8);
        ByteBuffer small = ByteBuffer.allocate(4096);
        assertEquals(-1, w.read(1, 0, small, home));
        assertEquals(-1, w.read(1, 4096, ByteBuffer.allocate(4096), home), "sequential but small");
        assertEquals(-1, w.read(1, 6L * ReadWindows.WINDOW, ByteBuffer.allocate(KIB128), home), "a jump");
        assertEquals(-1, w.read(1, ReadWindows.WINDOW - 4096, ByteBuffer.allocate(KIB128), home),
                "a read across two blocks");
        assertEquals(0, home.reads.get(), "the caller reads those itself");
        assertEquals(0, small.position(), "untouched");
    }

    @Test
    void nothingFetchedBeforeAnInvalidationServesAReadAfterIt() {
        Home home = new Home(2 * ReadWindows.WINDOW, 3);
        ReadWindows w = new ReadWindows(8);
        read(w, home, 0, KIB128);
        read(w, home, KIB128, KIB128); // fetches block 0
        byte[] before = Arrays.copyOf(home.file, home.file.length);
        home.file[3 * KIB128] ^= 1;
        assertArrayEquals(Arrays.copyOfRange(before, 3 * KIB128, 4 * KIB128), read(w, home, 3 * KIB128, KIB128),
                "until an invalidation the window serves (close-to-open allows it)");
        w.invalidate(1); // e.g. this member opened, wrote or locked the file
        assertArrayEquals(Arrays.copyOfRange(home.file, 3 * KIB128, 4 * KIB128), read(w, home, 3 * KIB128, KIB128),
                "after it the home's current bytes");
        assertEquals(2, w.fetches());
    }

    @Test
    void requestsOfOneBlockArrivingTogetherShareOneFetch() throws Exception {
        Home slow = new Home(ReadWindows.WINDOW, 4);
        CountDownLatch release = new CountDownLatch(1);
        ReadWindows.Fetch fetch = (ino, off, dst) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return slow.read(ino, off, dst);
        };
        ReadWindows w = new ReadWindows(8);
        w.read(1, 0, ByteBuffer.allocate(KIB128), slow); // a streak: the kernel's first request went alone
        ExecutorService pool = Executors.newFixedThreadPool(7);
        List<Future<byte[]>> got = new ArrayList<>();
        for (int k = 1; k < 8; k++) {
            long off = (long) k * KIB128;
            got.add(pool.submit(() -> {
                ByteBuffer b = ByteBuffer.allocate(KIB128);
                assertEquals(KIB128, w.read(1, off, b, fetch));
                return b.array();
            }));
        }
        release.countDown();
        for (int k = 1; k < 8; k++) {
            assertArrayEquals(Arrays.copyOfRange(slow.file, k * KIB128, (k + 1) * KIB128), got.get(k - 1).get());
        }
        pool.shutdown();
        assertEquals(1, w.fetches(), "seven concurrent requests, one fetch");
    }

    @Test
    void aFailedFetchServesNothingAndIsNotKept() {
        Home home = new Home(2 * ReadWindows.WINDOW, 5);
        ReadWindows w = new ReadWindows(8);
        read(w, home, 0, KIB128);
        ReadWindows.Fetch down = (ino, off, dst) -> {
            throw FsException.of(Errno.EIO, "home down");
        };
        ByteBuffer b = ByteBuffer.allocate(KIB128);
        assertEquals(-1, w.read(1, KIB128, b, down), "the caller reads itself and reports the home's error");
        assertEquals(0, b.position());
        assertArrayEquals(Arrays.copyOfRange(home.file, 2 * KIB128, 3 * KIB128), read(w, home, 2 * KIB128, KIB128),
                "the next read fetches again");
    }

    @Test
    void theEndOfTheFileIsAShortRead() {
        Home home = new Home(ReadWindows.WINDOW / 2 + 1000, 6);
        ReadWindows w = new ReadWindows(8);
        read(w, home, 0, KIB128);
        assertEquals(KIB128, read(w, home, KIB128, KIB128).length);
        byte[] tail = read(w, home, 4L * KIB128, KIB128);
        assertArrayEquals(Arrays.copyOfRange(home.file, 4 * KIB128, home.file.length), tail);
        assertThrows(IllegalArgumentException.class, () -> new ReadWindows(0));
    }

    @Test
    void aForgottenFileLeavesNoWindowBehind() {
        Home home = new Home(ReadWindows.WINDOW, 7);
        ReadWindows w = new ReadWindows(1);
        read(w, home, 0, KIB128);
        read(w, home, KIB128, KIB128);
        w.forget(1);
        home.file[2 * KIB128] ^= 1;
        assertArrayEquals(Arrays.copyOfRange(home.file, 2 * KIB128, 3 * KIB128), read(w, home, 2 * KIB128, KIB128));
    }
}
