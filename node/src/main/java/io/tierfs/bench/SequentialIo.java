package io.tierfs.bench;

import io.tierfs.tier.os.PageCacheAdvice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * The streaming phase: one file written in fixed-size blocks (then fsync), then read back in the same blocks with
 * a CRC32C of everything read compared to what was written, so a fast but wrong file system cannot win: once as
 * it is (warm: what the kernel kept), once after its cached pages were dropped (cold: through the file system).
 */
final class SequentialIo {

    /** Seconds spent writing, in the final fsync, reading (warm), and reading after the page cache was dropped. */
    record Timing(double writeSec, double fsyncSec, double readSec, double coldReadSec) {
    }

    private static final int TEMPLATES = 8;

    private final long size;
    private final int block;
    private final ByteBuffer[] templates;
    private final long expectedCrc;

    SequentialIo(long size, int block, long seed) {
        this.size = size;
        this.block = block;
        Random rnd = new Random(seed);
        templates = new ByteBuffer[TEMPLATES];
        for (int i = 0; i < TEMPLATES; i++) {
            byte[] b = new byte[block];
            rnd.nextBytes(b);
            templates[i] = ByteBuffer.allocateDirect(block).put(b).flip();
        }
        CRC32C crc = new CRC32C();
        for (long i = 0, off = 0; off < size; i++, off += block) {
            crc.update(fill(i, (int) Math.min(block, size - off)));
        }
        expectedCrc = crc.getValue();
    }

    /** Block i: template i % 8 with its index stamped in the first 8 bytes, so no two blocks are equal. */
    private ByteBuffer fill(long index, int length) {
        ByteBuffer b = templates[(int) (index % TEMPLATES)];
        b.clear();
        if (length >= Long.BYTES) {
            b.putLong(0, index);
        }
        b.limit(length);
        return b;
    }

    Timing run(Path file) throws IOException {
        long t0 = System.nanoTime();
        long t1;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long i = 0, off = 0; off < size; i++, off += block) {
                ByteBuffer b = fill(i, (int) Math.min(block, size - off));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            t1 = System.nanoTime();
            ch.force(true);
        }
        long t2 = System.nanoTime();

        ByteBuffer buf = ByteBuffer.allocateDirect(block);
        double warm = readBack(file, buf);
        PageCacheAdvice.dontNeed(file);
        double cold = readBack(file, buf);
        return new Timing((t1 - t0) / 1e9, (t2 - t1) / 1e9, warm, cold);
    }

    /** Reads the whole file in blocks, checks length and CRC32C, returns the seconds spent in read calls. */
    private double readBack(Path file, ByteBuffer buf) throws IOException {
        CRC32C crc = new CRC32C();
        long readNanos = 0;
        long total = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                buf.clear();
                long s = System.nanoTime();
                int n = ch.read(buf);
                readNanos += System.nanoTime() - s;
                if (n < 0) {
                    break;
                }
                buf.flip();
                crc.update(buf);
                total += n;
            }
        }
        if (total != size || crc.getValue() != expectedCrc) {
            throw new IOException("read back " + total + " bytes with CRC32C " + Long.toHexString(crc.getValue())
                    + " from " + file + ", wrote " + size + " bytes with CRC32C " + Long.toHexString(expectedCrc));
        }
        return readNanos / 1e9;
    }
}
