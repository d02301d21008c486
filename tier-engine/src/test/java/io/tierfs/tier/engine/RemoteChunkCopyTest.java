package io.tierfs.tier.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tierfs.tier.net.ChunkClient;
import io.tierfs.tier.net.ChunkKey;
import io.tierfs.tier.net.ChunkServer;
import io.tierfs.tier.net.DataPlaneSettings;
import io.tierfs.tier.net.DirectoryChunkRepository;
import io.tierfs.tier.net.QuotaGate;
import io.tierfs.tier.net.RemoteChunkChannel;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's own copy code (ChunkCopier) moving a chunk to another node and back through RemoteChunkChannel. */
class RemoteChunkCopyTest {
    @TempDir
    Path dir;

    @Test
    void copiesALocalChunkToARemoteOneAndBackWithEqualCrc() throws Exception {
        int len = (4 << 20) - 1000; // a 4 MiB chunk, not full
        byte[] data = new byte[len];
        new Random(11).nextBytes(data);
        java.util.Arrays.fill(data, 1 << 20, 2 << 20, (byte) 0); // a run of zeros, as a hole would read
        Path local = dir.resolve("local");
        Files.write(local, data);
        CRC32C expected = new CRC32C();
        expected.update(data);

        DirectoryChunkRepository repo = new DirectoryChunkRepository(dir.resolve("lent"), QuotaGate.UNLIMITED);
        ChunkKey key = new ChunkKey("borrower", 3, 0, 1);
        try (ChunkServer server = new ChunkServer(repo, "127.0.0.1", 0);
             ChunkClient client = new ChunkClient(DataPlaneSettings.defaults())) {
            try (FileChannel src = FileChannel.open(local, StandardOpenOption.READ);
                 FileChannel dst = RemoteChunkChannel.open(client, server.address(), key, true)) {
                dst.write(ByteBuffer.wrap(new byte[len + 5000]), 0); // longer than the source: copy must cut it
                assertEquals(expected.getValue(), ChunkCopier.copy(src, dst, len));
                dst.force(true);
                assertEquals(len, dst.size());
                assertEquals(expected.getValue(), ChunkCopier.crc(dst, len));
            }
            assertEquals(expected.getValue(), repo.crc32c(key, len));
            assertEquals(len, repo.usedBytes("borrower"));

            Path back = dir.resolve("back");
            try (FileChannel src = RemoteChunkChannel.open(client, server.address(), key, false);
                 FileChannel dst = FileChannel.open(back, StandardOpenOption.CREATE, StandardOpenOption.READ,
                         StandardOpenOption.WRITE)) {
                assertEquals(expected.getValue(), ChunkCopier.copy(src, dst, len));
                ByteBuffer past = ByteBuffer.allocate(100);
                ChunkCopier.readFully(src, past, len - 50);
                assertArrayEquals(java.util.Arrays.copyOfRange(data, len - 50, len),
                        java.util.Arrays.copyOf(past.array(), 50));
                assertArrayEquals(new byte[50], java.util.Arrays.copyOfRange(past.array(), 50, 100),
                        "past the end reads as zeros");
            }
            assertArrayEquals(data, Files.readAllBytes(back));
        }
    }
}
