package io.tierfs.tier.net;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * Self-describing records for append tests: magic, writer, sequence, length, CRC32C of the body, then the body
 * (pseudo-random from writer and sequence). {@link #check} parses a file of appended records and fails unless every
 * record of every writer is there exactly once, whole, and in each writer's order.
 */
final class AppendRecords {
    static final int MAGIC = 0x41505044;
    static final int HEADER = 4 * 5;

    private AppendRecords() {
    }

    static byte[] record(int writer, int seq, int size) {
        byte[] body = new byte[size - HEADER];
        new Random(writer * 1_000_003L + seq).nextBytes(body);
        CRC32C crc = new CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(size).putInt(MAGIC).putInt(writer).putInt(seq).putInt(size)
                .putInt((int) crc.getValue()).put(body).array();
    }

    static void check(byte[] file, int writers, int perWriter) {
        int[] next = new int[writers];
        ByteBuffer b = ByteBuffer.wrap(file);
        while (b.hasRemaining()) {
            int at = b.position();
            if (b.remaining() < HEADER || b.getInt() != MAGIC) {
                throw new AssertionError("no record header at " + at);
            }
            int writer = b.getInt();
            int seq = b.getInt();
            int size = b.getInt();
            int crc = b.getInt();
            if (writer < 0 || writer >= writers || size < HEADER || size - HEADER > b.remaining()) {
                throw new AssertionError("bad record header at " + at + ": writer " + writer + ", size " + size);
            }
            byte[] body = Arrays.copyOfRange(file, b.position(), b.position() + size - HEADER);
            b.position(b.position() + body.length);
            CRC32C c = new CRC32C();
            c.update(body);
            if ((int) c.getValue() != crc || !Arrays.equals(body, Arrays.copyOfRange(record(writer, seq, size),
                    HEADER, size))) {
                throw new AssertionError("record " + writer + "/" + seq + " at " + at + " is corrupt");
            }
            if (seq != next[writer]) {
                throw new AssertionError("record " + writer + "/" + seq + " at " + at + ": expected sequence "
                        + next[writer] + " of that writer");
            }
            next[writer]++;
        }
        for (int w = 0; w < writers; w++) {
            if (next[w] != perWriter) {
                throw new AssertionError("writer " + w + ": " + next[w] + " records of " + perWriter);
            }
        }
    }
}
