package io.tierfs.common.time;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline, polling every few milliseconds: the one way in this code base to wait for
 * something that happens elsewhere (a mount appearing, a move finishing), so that nothing sleeps a fixed time and
 * hopes. An interrupt ends the wait early, with the interrupt flag kept.
 */
public final class Await {
    private static final long POLL_NANOS = 10_000_000L;

    private Await() {
    }

    /** True as soon as {@code condition} holds; false when {@code timeout} passed first (or on interrupt). */
    public static boolean within(Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0 || Thread.currentThread().isInterrupted()) {
                return condition.getAsBoolean();
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @throws TimeoutException naming {@code what} when {@code timeout} passed first
     */
    public static void until(Duration timeout, String what, BooleanSupplier condition) throws TimeoutException {
        if (!within(timeout, condition)) {
            throw new TimeoutException("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
        }
    }
}
