package io.tierfs.common.time;

import java.time.Clock;
import java.time.Instant;

/** File times are nanoseconds since the epoch (st_mtim and friends); this is the one conversion from a Clock. */
public final class Times {
    private Times() {
    }

    public static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    public static long nowNs(Clock clock) {
        return epochNanos(clock.instant());
    }
}
