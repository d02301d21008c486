package io.tierfs.simulator.baseline;

import io.tierfs.simulator.workload.Op;
import io.tierfs.simulator.workload.Request;
import io.tierfs.simulator.workload.RequestSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Belady's offline optimum (MIN) for the fastest tier seen as a cache of whole files: on a miss, evict the
 * cached file whose next use is furthest in the future, and do not cache a file whose own next use is further
 * than all of them (bypass). Exact for equal sizes; for files of different sizes it is the standard furthest-
 * next-use heuristic (the exact variable-size optimum is NP-hard), an upper reference, not a bound.
 * <p>
 * Memory stays bounded for traces of any length: pass 1 spills (file, size, read length, op) records to a temp
 * file, pass 2 reads it backwards to compute each access's next use into a second temp file, pass 3 replays both
 * forwards. Only per-file arrays and a heap of cached files are in memory.
 */
public final class Belady {
    private static final int REC = 4 + 8 + 8 + 1;
    private static final long NEVER = Long.MAX_VALUE;
    private static final int BLOCK = 1 << 16;

    private Belady() {
    }

    public static BeladyResult run(RequestSource src, long capacityBytes, Path tmpDir) {
        try {
            Path accesses = Files.createTempFile(tmpDir, "belady-acc", ".bin");
            Path nexts = Files.createTempFile(tmpDir, "belady-next", ".bin");
            try {
                long[] counts = spill(src, accesses);
                long n = counts[0];
                int files = (int) counts[1];
                nextUses(accesses, nexts, n, files);
                return replay(accesses, nexts, n, files, capacityBytes);
            } finally {
                Files.deleteIfExists(accesses);
                Files.deleteIfExists(nexts);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("belady: " + e.getMessage(), e);
        }
    }

    /** Pass 1: every read and write as a fixed-size record (file, its size after the access, bytes read, isRead). */
    private static long[] spill(RequestSource src, Path out) throws IOException {
        long n = 0;
        long[] size = new long[1024];
        int maxFile = 0;
        Request r = new Request();
        ByteBuffer buf = ByteBuffer.allocate(BLOCK * REC);
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (src.next(r)) {
                if (r.op == Op.DELETE) {
                    if (r.file < size.length) {
                        size[r.file] = 0;
                    }
                    continue;
                }
                if (r.op != Op.READ && r.op != Op.WRITE) {
                    continue;
                }
                int f = r.file;
                if (f >= size.length) {
                    size = Arrays.copyOf(size, Math.max(f + 1, size.length * 2));
                }
                maxFile = Math.max(maxFile, f + 1);
                size[f] = Math.max(size[f], r.offset + r.size);
                buf.putInt(f).putLong(size[f]).putLong(r.size).put((byte) (r.op == Op.READ ? 1 : 0));
                if (!buf.hasRemaining()) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    buf.clear();
                }
                n++;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
        return new long[]{n, maxFile};
    }

    /** Pass 2: backwards over the accesses, next[i] = index of the next access to the same file (forward order). */
    private static void nextUses(Path accesses, Path out, long n, int files) throws IOException {
        long[] last = new long[files];
        Arrays.fill(last, NEVER);
        ByteBuffer in = ByteBuffer.allocate(BLOCK * REC);
        ByteBuffer nb = ByteBuffer.allocate(BLOCK * 8);
        try (FileChannel a = FileChannel.open(accesses, StandardOpenOption.READ);
             FileChannel o = FileChannel.open(out, StandardOpenOption.WRITE)) {
            long end = n;
            while (end > 0) {
                long begin = Math.max(0, end - BLOCK);
                int count = (int) (end - begin);
                in.clear().limit(count * REC);
                readFully(a, in, begin * REC);
                nb.clear().limit(count * 8);
                for (int k = count - 1; k >= 0; k--) {
                    int f = in.getInt(k * REC);
                    nb.putLong(k * 8, last[f]);
                    last[f] = begin + k;
                }
                nb.position(0);
                long pos = begin * 8;
                while (nb.hasRemaining()) {
                    pos += o.write(nb, pos);
                }
                end = begin;
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int k = ch.read(b, pos);
            if (k < 0) {
                throw new IOException("unexpected end of spill file");
            }
            pos += k;
        }
        b.flip();
    }

    /** Pass 3: the MIN cache over the accesses with their next uses. */
    private static BeladyResult replay(Path accesses, Path nexts, long n, int files, long cap) throws IOException {
        boolean[] cached = new boolean[files];
        long[] cachedSize = new long[files];
        long[] key = new long[files];
        MaxHeap heap = new MaxHeap();
        long used = 0;
        long reads = 0;
        long readBytes = 0;
        long hits = 0;
        long hitBytes = 0;
        int cachedCount = 0;
        ByteBuffer in = ByteBuffer.allocate(BLOCK * REC);
        ByteBuffer nb = ByteBuffer.allocate(BLOCK * 8);
        try (FileChannel a = FileChannel.open(accesses, StandardOpenOption.READ);
             FileChannel x = FileChannel.open(nexts, StandardOpenOption.READ)) {
            for (long begin = 0; begin < n; begin += BLOCK) {
                int count = (int) Math.min(BLOCK, n - begin);
                in.clear().limit(count * REC);
                readFully(a, in, begin * REC);
                nb.clear().limit(count * 8);
                readFully(x, nb, begin * 8);
                for (int k = 0; k < count; k++) {
                    int f = in.getInt(k * REC);
                    long size = in.getLong(k * REC + 4);
                    long len = in.getLong(k * REC + 12);
                    boolean read = in.get(k * REC + 20) == 1;
                    long next = nb.getLong(k * 8);
                    if (read) {
                        reads++;
                        readBytes += len;
                    }
                    if (cached[f]) {
                        if (read) {
                            hits++;
                            hitBytes += len;
                        }
                        used += size - cachedSize[f];
                        cachedSize[f] = size;
                        key[f] = next;
                        heap.push(next, f);
                        // a grown file may overflow: evict the furthest others (never f itself)
                        while (used > cap) {
                            int v = heap.popValid(cached, key);
                            if (v < 0) {
                                break;
                            }
                            if (v == f) {
                                cached[f] = false;
                                used -= cachedSize[f];
                                cachedCount--;
                                break;
                            }
                            cached[v] = false;
                            used -= cachedSize[v];
                            cachedCount--;
                        }
                        continue;
                    }
                    if (next == NEVER || size > cap) {
                        continue;
                    }
                    boolean admit = true;
                    while (used + size > cap) {
                        int v = heap.peekValid(cached, key);
                        if (v < 0 || key[v] < next) {
                            admit = false;
                            break;
                        }
                        heap.popValid(cached, key);
                        cached[v] = false;
                        used -= cachedSize[v];
                        cachedCount--;
                    }
                    if (admit) {
                        cached[f] = true;
                        cachedSize[f] = size;
                        key[f] = next;
                        used += size;
                        cachedCount++;
                        heap.push(next, f);
                    }
                    if (heap.size() > 4 * cachedCount + 1024) {
                        heap.compact(cached, key);
                    }
                }
            }
        }
        return new BeladyResult(cap, reads, readBytes, hits, hitBytes);
    }

    /** A max-heap of (next use, file) with lazy deletion: an entry is valid while the file is cached with that key. */
    private static final class MaxHeap {
        private long[] keys = new long[1024];
        private int[] vals = new int[1024];
        private int n;

        int size() {
            return n;
        }

        void push(long k, int v) {
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, n * 2);
                vals = Arrays.copyOf(vals, n * 2);
            }
            int i = n++;
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (keys[p] >= k) {
                    break;
                }
                keys[i] = keys[p];
                vals[i] = vals[p];
                i = p;
            }
            keys[i] = k;
            vals[i] = v;
        }

        private void removeTop() {
            long k = keys[--n];
            int v = vals[n];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= n) {
                    break;
                }
                if (c + 1 < n && keys[c + 1] > keys[c]) {
                    c++;
                }
                if (keys[c] <= k) {
                    break;
                }
                keys[i] = keys[c];
                vals[i] = vals[c];
                i = c;
            }
            keys[i] = k;
            vals[i] = v;
        }

        int peekValid(boolean[] cached, long[] key) {
            while (n > 0 && !(cached[vals[0]] && key[vals[0]] == keys[0])) {
                removeTop();
            }
            return n == 0 ? -1 : vals[0];
        }

        int popValid(boolean[] cached, long[] key) {
            int v = peekValid(cached, key);
            if (v >= 0) {
                removeTop();
            }
            return v;
        }

        void compact(boolean[] cached, long[] key) {
            long[] ok = keys;
            int[] ov = vals;
            int on = n;
            keys = new long[Math.max(1024, on)];
            vals = new int[keys.length];
            n = 0;
            for (int i = 0; i < on; i++) {
                if (cached[ov[i]] && key[ov[i]] == ok[i]) {
                    push(ok[i], ov[i]);
                }
            }
        }
    }
}
