package io.tierfs.migration;

import io.tierfs.common.config.TierFsConfig;
import io.tierfs.tier.engine.TierEngine;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Child JVM of {@link PromotionCrashTest}: writes a file straight to the SSD (a DRAM tier too small for a chunk),
 * reopens with room in DRAM and promotes chunk 0 SSD to DRAM with the fault point of {@code -Dtierfs.fault} armed.
 * Args: stateDir dramDir.
 */
public final class PromotionCrashChild {
    static final long INO = 78;
    static final int CS = 64 * 1024;
    static final int SIZE = 3 * CS + 999;

    public static void main(String[] args) {
        Path state = Path.of(args[0]);
        Path dram = Path.of(args[1]);
        TierFsConfig small = TestSupport.config(state, dram, CS, 1, 1L << 30, 1L << 30, Duration.ofHours(1), null);
        try (TierEngine e = TierEngine.open(small, Clock.systemUTC(), "local")) {
            e.write(INO, 0, ByteBuffer.wrap(TestSupport.random(INO, SIZE)));
            e.fsync(INO);
        }
        TierFsConfig roomy = TestSupport.config(state, dram, CS, 1L << 30, 1L << 30, 1L << 30, Duration.ofHours(1),
                null);
        TierEngine e = TierEngine.open(roomy, Clock.systemUTC(), "local");
        ChunkMove.run(e, INO, 0, 1, 0, FaultPoints.fromSystemProperties());
        e.close();
        System.exit(0);
    }
}
