package io.tierfs.tier.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Copies chunk bytes between files through one direct buffer per thread, computing the CRC32C of what it read
 * on the way, and reads a file back to verify a copy. Holes and bytes past the source's end copy as zeros.
 */
final class ChunkCopier {
    private static final int BUF = 1 << 20;
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUF));

    private ChunkCopier() {
    }

    /** Copies {@code length} bytes from the start of {@code src} to the start of {@code dst}; returns their CRC32C. */
    static long copy(FileChannel src, FileChannel dst, long length) throws IOException {
        long crc = scan(src, dst, length);
        dst.truncate(length);
        return crc;
    }

    /** The CRC32C of the first {@code length} bytes of {@code ch}. */
    static long crc(FileChannel ch, long length) throws IOException {
        return scan(ch, null, length);
    }

    /** Reads {@code length} bytes of {@code src} once, computing their CRC32C and writing them to {@code dst} if given. */
    private static long scan(FileChannel src, FileChannel dst, long length) throws IOException {
        ByteBuffer buf = BUFFERS.get();
        CRC32C crc = new CRC32C();
        long pos = 0;
        while (pos < length) {
            buf.clear();
            buf.limit((int) Math.min(BUF, length - pos));
            readFully(src, buf, pos);
            buf.flip();
            crc.update(buf);
            if (dst != null) {
                buf.rewind();
                while (buf.hasRemaining()) {
                    dst.write(buf, pos + buf.position());
                }
            }
            pos += buf.limit();
        }
        return crc.getValue();
    }

    /** Fills {@code buf} from {@code pos}; whatever lies past the end of the file reads as zeros. */
    static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                zero(buf);
                return;
            }
        }
    }

    /** Fills the rest of {@code buf} with zeros. */
    static void zero(ByteBuffer buf) {
        if (buf.hasArray()) {
            int from = buf.arrayOffset() + buf.position();
            java.util.Arrays.fill(buf.array(), from, from + buf.remaining(), (byte) 0);
            buf.position(buf.limit());
            return;
        }
        while (buf.remaining() >= 8) {
            buf.putLong(0L);
        }
        while (buf.hasRemaining()) {
            buf.put((byte) 0);
        }
    }
}
