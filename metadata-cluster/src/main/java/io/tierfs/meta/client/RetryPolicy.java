package io.tierfs.meta.client;

import java.time.Duration;

/**
 * How long a client keeps trying one call to an entity. A message to an entity can be lost while its node dies
 * or its shard moves (the entity then restarts elsewhere within the failover time, some 20-30 s with the split
 * brain resolver): each attempt waits at most {@code attempt}, the call gives up at {@code deadline}, and between
 * attempts it pauses {@code firstPause}, doubling up to {@code maxPause}.
 */
public record RetryPolicy(Duration deadline, Duration attempt, Duration firstPause, Duration maxPause) {
    public static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    public static final Duration MAX_PAUSE = Duration.ofSeconds(1);

    public RetryPolicy {
        if (deadline.isNegative() || deadline.isZero() || attempt.isNegative() || attempt.isZero()) {
            throw new IllegalArgumentException("deadline and attempt timeout must be positive: " + deadline
                    + ", " + attempt);
        }
        if (attempt.compareTo(deadline) > 0) {
            attempt = deadline;
        }
    }

    /** The default pauses; an attempt timeout above the deadline is cut to it. */
    public static RetryPolicy of(Duration deadline, Duration attempt) {
        return new RetryPolicy(deadline, attempt, FIRST_PAUSE, MAX_PAUSE);
    }

    /** The pause after {@code failed} (1, 2, ...) failed attempts. */
    public Duration pause(int failed) {
        long ns = firstPause.toNanos() << Math.min(Math.max(failed - 1, 0), 20);
        return ns <= 0 || ns > maxPause.toNanos() ? maxPause : Duration.ofNanos(ns);
    }
}
