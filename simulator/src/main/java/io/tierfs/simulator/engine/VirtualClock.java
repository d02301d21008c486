package io.tierfs.simulator.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulation's time as a {@link Clock}, so that the production policies (which read a Clock) run unchanged
 * in virtual time. Nanoseconds since the start of the run; {@code millis()} adds a fixed epoch. Single-threaded:
 * only the event loop moves it, and never backwards.
 */
public final class VirtualClock extends Clock {
    /** 2026-01-01T00:00:00Z: a fixed start, so that runs are reproducible. */
    public static final long EPOCH_MILLIS = 1_767_225_600_000L;
    private long nanos;

    public long nanos() {
        return nanos;
    }

    /** Moves to {@code t} (ignored if in the past). */
    public void advanceTo(long t) {
        if (t > nanos) {
            nanos = t;
        }
    }

    @Override
    public long millis() {
        return EPOCH_MILLIS + nanos / 1_000_000L;
    }

    /** Epoch millis of virtual time {@code t}. */
    public static long millisOf(long t) {
        return EPOCH_MILLIS + t / 1_000_000L;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(EPOCH_MILLIS).plusNanos(nanos);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
