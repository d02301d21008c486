package io.tierfs.meta.client;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client's retry loop: what is retried, what is final, and the deadline. */
class RetryingTest {
    private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(400), Duration.ofMillis(100),
            Duration.ofMillis(5), Duration.ofMillis(20));

    @Test
    void timedOutAttemptsAreRepeatedUntilAnAnswerComes() {
        Retrying r = new Retrying(FAST);
        AtomicInteger attempts = new AtomicInteger();
        String answer = r.call("test", t -> attempts.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new TimeoutException()) : CompletableFuture.completedFuture("ok"),
                a -> null);
        assertEquals("ok", answer);
        assertEquals(3, attempts.get());
        assertEquals(2, r.retries());
    }

    @Test
    void aFinalAnswerIsNeverRetriedAndARetryableOneIsRetried() {
        Retrying r = new Retrying(FAST);
        AtomicInteger attempts = new AtomicInteger();
        String answer = r.call("test", t -> CompletableFuture.completedFuture(
                attempts.incrementAndGet() == 1 ? "stopped" : "EEXIST"), a -> a.equals("stopped") ? a : null);
        assertEquals("EEXIST", answer);
        assertEquals(2, attempts.get());
    }

    @Test
    void givesUpWithEtimedoutAtTheDeadline() {
        Retrying r = new Retrying(FAST);
        AtomicInteger attempts = new AtomicInteger();
        long t0 = System.nanoTime();
        FsException e = assertThrows(FsException.class, () -> r.call("test", t -> {
            attempts.incrementAndGet();
            assertTrue(t.compareTo(FAST.attempt()) <= 0, "an attempt never waits beyond its timeout: " + t);
            return CompletableFuture.failedFuture(new TimeoutException());
        }, a -> null));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(Errno.ETIMEDOUT, e.errno());
        assertTrue(e.getMessage().contains("attempts"), e.getMessage());
        assertTrue(attempts.get() >= 5, "attempts: " + attempts.get());
        assertTrue(ms < 2_000, "took " + ms + " ms");
    }

    @Test
    void aTransportFailureOtherThanATimeoutIsEio() {
        Retrying r = new Retrying(FAST);
        FsException e = assertThrows(FsException.class, () -> r.call("test",
                t -> CompletableFuture.failedFuture(new IllegalStateException("serialization")), a -> null));
        assertEquals(Errno.EIO, e.errno());
        assertEquals(0, r.retries());
    }

    @Test
    void pausesDoubleUpToTheMaximum() {
        RetryPolicy p = RetryPolicy.of(Duration.ofSeconds(60), Duration.ofSeconds(5));
        assertEquals(Duration.ofMillis(50), p.pause(1));
        assertEquals(Duration.ofMillis(100), p.pause(2));
        assertEquals(Duration.ofMillis(800), p.pause(5));
        assertEquals(Duration.ofSeconds(1), p.pause(6));
        assertEquals(Duration.ofSeconds(1), p.pause(1000));
        assertEquals(Duration.ofSeconds(2), RetryPolicy.of(Duration.ofSeconds(2), Duration.ofSeconds(5)).attempt());
    }
}
