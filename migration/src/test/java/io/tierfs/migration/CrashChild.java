package io.tierfs.migration;

import io.tierfs.common.config.TierFsConfig;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Child JVM of {@link MoveCrashTest}: writes a file, then moves it with the fault point of
 * {@code -Dtierfs.fault} armed, so the JVM halts in the middle of a move.
 * Args: stateDir dramDir scenario(ssd-to-hdd | dram-to-ssd).
 */
public final class CrashChild {
    static final long INO = 77;
    static final int CS = 64 * 1024;
    static final int SIZE = 3 * CS + 999;

    public static void main(String[] args) {
        Path state = Path.of(args[0]);
        Path dram = Path.of(args[1]);
        boolean fromSsd = args[2].equals("ssd-to-hdd");
        // From SSD: a DRAM tier too small for any chunk, so the data is written straight to the SSD.
        TierFsConfig cfg = TestSupport.config(state, dram, CS, fromSsd ? 1 : 1L << 30, 1L << 30, 1L << 30,
                Duration.ofHours(1), Duration.ofHours(1));
        // One mover thread: the halt hits the move of chunk 0, deterministically.
        TieredStorage s = new TieredStorage(io.tierfs.tier.engine.TierEngine.open(cfg, Clock.systemUTC(), "local"),
                new io.tierfs.migration.policy.WatermarkPolicy(new io.tierfs.migration.policy.LruOrder(), Clock.systemUTC()),
                1, null, FaultPoints.fromSystemProperties());
        s.write(INO, 0, ByteBuffer.wrap(TestSupport.random(INO, SIZE)));
        if (fromSsd) {
            s.fsync(INO);
        }
        s.demote(INO, fromSsd ? "hdd" : "ssd");
        s.close();
        System.exit(0);
    }
}
