package io.tierfs.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Random;
import java.util.zip.CRC32C;

/** File helpers shared by the suites: seeded content, checksums, recursive delete. */
final class TreeOps {

    private TreeOps() {
    }

    /** Deterministic pseudo-random bytes: the same (seed, length) always gives the same content. */
    static byte[] content(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    static long crc(byte[] data) {
        CRC32C c = new CRC32C();
        c.update(data);
        return c.getValue();
    }

    /** CRC32C of a whole file, streamed in 1 MiB reads. */
    static long crcOfFile(Path p) throws IOException {
        CRC32C c = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                c.update(buf);
                buf.clear();
            }
        }
        return c.getValue();
    }

    /** Writes {@code data} with NIO and fsyncs the file when asked. */
    static void writeNio(Path p, byte[] data, boolean fsync) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (fsync) {
                ch.force(true);
            }
        }
    }

    /** fsync of a directory, so that names created in it are durable too. */
    static void fsyncDir(Path dir) {
        int fd = Sys.open(dir, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        try {
            Sys.ok(Sys.P.fsync(fd), "fsync(dir " + dir + ")");
        } finally {
            Sys.close(fd);
        }
    }

    /** Deletes a tree without following symlinks; a missing tree is fine. */
    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteIfExists(Path p) throws IOException {
        try {
            Files.delete(p);
        } catch (NoSuchFileException e) {
            // already gone: fine for a cleanup
        }
    }
}
