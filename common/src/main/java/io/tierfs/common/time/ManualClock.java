package io.tierfs.common.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when told: the injected time of tests (ages, LRU order, timestamps) and of virtual-time
 * runs such as the simulator. Thread-safe; never moves backwards unless {@link #set} is asked to.
 */
public final class ManualClock extends Clock {
    private volatile Instant now;

    public ManualClock(Instant start) {
        this.now = start;
    }

    /** Starts at {@code epochMillis}. */
    public static ManualClock atMillis(long epochMillis) {
        return new ManualClock(Instant.ofEpochMilli(epochMillis));
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    public void advanceMillis(long ms) {
        advance(Duration.ofMillis(ms));
    }

    public synchronized void set(Instant instant) {
        now = instant;
    }

    /** Now, in nanoseconds since the epoch (the unit of file times). */
    public long nowNs() {
        return Times.epochNanos(now);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
