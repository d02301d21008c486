package io.tierfs.meta.client;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Runs a blocking call to an entity under a {@link RetryPolicy}: an attempt that times out, or whose answer says
 * "try again" (the entity stopped before deciding), is repeated after a pause until the deadline, then the call
 * fails with ETIMEDOUT. Any other answer, including a POSIX error, ends the call; so does a transport failure
 * other than a timeout (EIO). Only safe for calls that may be delivered more than once: idempotent ones, or
 * commands deduplicated by their request id. Thread-safe.
 */
public final class Retrying {
    private static final Logger LOG = LoggerFactory.getLogger(Retrying.class);

    private final RetryPolicy policy;
    private final AtomicLong retries = new AtomicLong();

    public Retrying(RetryPolicy policy) {
        this.policy = policy;
    }

    public RetryPolicy policy() {
        return policy;
    }

    /** Attempts repeated so far (all calls), for diagnostics and tests. */
    public long retries() {
        return retries.get();
    }

    /**
     * @param what        the call for messages and logs, e.g. "CreateInode on directory 1042"
     * @param attempt     sends one attempt with the given timeout; its future fails with a TimeoutException when
     *                    no answer came in time
     * @param retryReason why an answer asks for another attempt, or null when it is final
     */
    public <T> T call(String what, Function<Duration, CompletableFuture<T>> attempt, Function<T, String> retryReason) {
        long start = System.nanoTime();
        long end = start + policy.deadline().toNanos();
        for (int n = 1; ; n++) {
            long left = end - System.nanoTime();
            Duration timeout = Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                    Math.min(policy.attempt().toNanos(), left)));
            String reason;
            try {
                T answer = attempt.apply(timeout).get();
                reason = retryReason.apply(answer);
                if (reason == null) {
                    if (n > 1) {
                        LOG.debug("{}: answered at attempt {} after {} ms", what, n,
                                (System.nanoTime() - start) / 1_000_000);
                    }
                    return answer;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TimeoutException)) {
                    throw new FsException(Errno.EIO, what + " failed: " + e.getCause(), e.getCause());
                }
                reason = "no answer within " + timeout.toMillis() + " ms";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FsException(Errno.EIO, "interrupted during " + what, e);
            }
            Duration pause = policy.pause(n);
            if (end - System.nanoTime() <= pause.toNanos()) {
                throw new FsException(Errno.ETIMEDOUT, what + ": no answer within " + policy.deadline().toMillis()
                        + " ms (" + n + " attempts, last: " + reason + ")");
            }
            retries.incrementAndGet();
            LOG.debug("{}: attempt {} failed ({}), retrying in {} ms", what, n, reason, pause.toMillis());
            pause(pause, what);
        }
    }

    private static void pause(Duration pause, String what) {
        try {
            Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FsException(Errno.EIO, "interrupted during " + what, e);
        }
    }
}
