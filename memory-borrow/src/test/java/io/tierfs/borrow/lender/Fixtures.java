package io.tierfs.borrow.lender;

import io.tierfs.borrow.LendSettings;
import io.tierfs.borrow.Reserve;

import java.nio.file.Path;
import java.time.Duration;

/** Settings for tests: reserve 4 GiB, hysteresis 256 MiB, lease 256 MiB, deadline 30 s. */
final class Fixtures {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;

    private Fixtures() {
    }

    static LendSettings settings(long capBytes) {
        return settings(true, capBytes);
    }

    static LendSettings settings(boolean enabled, long capBytes) {
        return new LendSettings(enabled, new Reserve.Fixed(4 * GIB), capBytes, 256 * MIB, Duration.ofSeconds(1),
                Path.of("/dev/shm/tierfs-lend-test"), Path.of("/proc/meminfo"), Duration.ofSeconds(30), 256 * MIB, 0);
    }
}
