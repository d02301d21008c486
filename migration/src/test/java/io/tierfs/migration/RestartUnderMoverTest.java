package io.tierfs.migration;

import static io.tierfs.migration.TestSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.tierfs.common.config.TierFsConfig;
import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.Policies;
import io.tierfs.migration.policy.Policy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean close keeps every byte, fsynced or not, while the live mover demotes under the writes: files written in
 * 128 KiB requests (as FUSE delivers them) into a DRAM tier smaller than the data, the store closed right after the
 * last write and opened again, several rounds. The mount-level RecoveryTest once lost the last chunks of the last
 * unsynced file at such a restart; this drives the same sequence without FUSE, many times.
 */
class RestartUnderMoverTest {
    private static final int MIB = 1 << 20;
    private static final int REQUEST = 128 * 1024;
    private static final int[] SIZES = {0, 1, 4095, 4096, 100_000, MIB, 4 * MIB + 17, 9 * MIB + 3};

    @TempDir
    Path tmp;
    private final Path dram = Path.of("/dev/shm", "tierfs-restart-test-" + UUID.randomUUID());
    private TieredStorage store;

    @AfterEach
    void tearDown() {
        TestSupport.closeAndDelete(store, dram);
    }

    private TieredStorage open() {
        TierFsConfig cfg = TestSupport.config(tmp, dram, MIB, 16L * MIB, 64L * MIB, 2048L * MIB,
                Duration.ofMillis(500), Duration.ofMillis(100));
        Policy policy = Policies.parse("""
                {"tiers": [
                  {"name": "dram", "highWatermark": 0.8, "lowWatermark": 0.5},
                  {"name": "ssd", "highWatermark": 0.8, "lowWatermark": 0.5},
                  {"name": "hdd", "highWatermark": 0.9, "lowWatermark": 0.5}],
                 "mover": {"concurrency": 2}, "rules": []}""");
        TieredStorage s = TieredStorage.openWithPolicy(cfg, Clock.systemUTC(), "local", () -> policy, true);
        s.liveMover().orElseThrow().facts(ino -> FileInfo.of(ino, "/f" + ino, 0, 0));
        return s;
    }

    @Test
    void everyByteSurvivesCleanRestartsWhileTheMoverDemotes() {
        Map<Long, byte[]> written = new LinkedHashMap<>();
        for (int round = 0; round < 12; round++) {
            store = open();
            for (int i = 0; i < 16; i++) {
                long ino = 1000L * (round + 1) + i;
                byte[] data = random(ino, SIZES[i % SIZES.length]);
                for (int off = 0; off < data.length; off += REQUEST) {
                    store.write(ino, off, ByteBuffer.wrap(data, off, Math.min(REQUEST, data.length - off)));
                }
                if (i % 2 == 0) {
                    store.fsync(ino);
                }
                written.put(ino, data);
            }
            store.close();
            store = open();
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                byte[] want = e.getValue();
                byte[] got = TestSupport.read(store, e.getKey(), 0, want.length);
                final int r = round;
                assertArrayEquals(want, got, () -> "inode " + e.getKey() + " after clean restart " + r + ": "
                        + store.where(e.getKey()));
            }
            store.close();
            store = null;
        }
    }
}
