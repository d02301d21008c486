package io.tierfs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * When every tier is full, a write fails with ENOSPC ("No space left on device"), nothing written before is
 * damaged, and deleting files makes room again. Needs a target built with tiny tiers
 * ({@code -Dtierfs.it.tinyCapacityBytes}, default 32 MiB); the plain target uses a tmpfs of that size (root only).
 */
class FullTiersTest {

    private static final int MIB = 1 << 20;
    private static final long CAPACITY = Long.getLong("tierfs.it.tinyCapacityBytes", 32L * MIB);

    @Test
    void writesFailWithEnospcAndDeletesFreeSpace() throws Exception {
        try (FsUnderTest fs = FsUnderTest.fromSystemProperty(FsSpec.tinyTiers(CAPACITY))) {
            assumeTrue(fs.capacityBytes().isPresent(), "target has no bounded capacity: " + fs.describe());
            long capacity = fs.capacityBytes().getAsLong();
            Path base = Files.createDirectory(fs.root().resolve("full"));
            Map<Path, Long> complete = new LinkedHashMap<>();
            IOException enospc = null;
            Path partial = null;
            long written = 0;
            for (int i = 0; enospc == null; i++) {
                if (written > 4 * capacity) {
                    fail("no ENOSPC after writing " + written + " bytes into " + fs.describe());
                }
                Path f = base.resolve("f-" + i);
                byte[] data = TreeOps.content(i, MIB);
                try {
                    writeAndClose(f, data);
                    complete.put(f, TreeOps.crc(data));
                    written += data.length;
                } catch (IOException e) {
                    enospc = e;
                    partial = f;
                }
            }
            assertNotNull(enospc);
            assertTrue(String.valueOf(enospc.getMessage()).contains("No space left on device"),
                    "expected ENOSPC, got " + enospc);
            assertTrue(complete.size() >= 2, "at least two MiB fit into " + capacity + " bytes");
            assertTrue(written <= capacity + MIB, "wrote " + written + " bytes into a " + capacity + "-byte FS");
            if (fs.supportsMigration()) {
                // tinyTiers: DRAM and SSD hold half the capacity; writing beyond them proves the slowest tier took data
                assertTrue(written > capacity / 2, "only " + written + " bytes fit before ENOSPC although the slowest"
                        + " tier has room: " + fs.describe());
            }
            for (Map.Entry<Path, Long> e : complete.entrySet()) {
                assertEquals(e.getValue(), TreeOps.crcOfFile(e.getKey()), e.getKey() + " intact after ENOSPC");
            }

            Files.deleteIfExists(partial);
            int deleted = 0;
            for (Path f : complete.keySet().toArray(new Path[0])) {
                if (deleted++ % 2 == 0) {
                    Files.delete(f);
                    complete.remove(f);
                }
            }
            byte[] again = TreeOps.content(-1, MIB);
            Path after = base.resolve("after-delete");
            Await.until(Duration.ofSeconds(30), "space freed by deletes to become writable", () -> {
                writeAndClose(after, again);
                return true;
            });
            assertEquals(TreeOps.crc(again), TreeOps.crcOfFile(after), "write after freeing space");
            for (Map.Entry<Path, Long> e : complete.entrySet()) {
                assertEquals(e.getValue(), TreeOps.crcOfFile(e.getKey()), e.getKey() + " intact at the end");
            }
        }
    }

    /** Writes and closes; a failed file is closed too (close may report the error on a network/FUSE FS). */
    private static void writeAndClose(Path f, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }
}
