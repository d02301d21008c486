package io.tierfs.node.data;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Claims sent before a writer needs them, off its write path, as read-ahead reads before the reader asks.
 * <p>
 * Why: a claim is a round trip to the file's data home, and on a busy member that round trip took 5 ms on average
 * (up to 13 ms; three members on two vCPUs, IOR-like strided writers), while a 1 MiB write into the member's own
 * tiers takes about one: a writer that claimed its next units only when it reached them stood still for a fifth
 * of its time. {@link RoutingDataStore} asks for the next run of units at the writer's stride while it still holds
 * half a run ahead, on one thread of its own; a writer that catches up with a claim in flight claims
 * synchronously, as before (the home answers the same: claims are final, asking twice is harmless).
 * <p>
 * One claim per (file, first unit) in flight at a time; a failed claim ahead is logged and forgotten (the
 * writer's own claim then reports the error).
 */
final class ClaimsAhead implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClaimsAhead.class);

    private record Key(long ino, long first) {
    }

    private final Set<Key> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong sent = new AtomicLong();
    private final ExecutorService claimer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tierfs-claims-ahead");
        t.setDaemon(true);
        return t;
    });

    /**
     * Runs {@code claim} (a claim of units of {@code ino} from {@code first}) on the claimer thread unless one from
     * the same unit is already in flight; false when it was not sent.
     */
    boolean send(long ino, long first, Runnable claim) {
        Key key = new Key(ino, first);
        if (!inFlight.add(key)) {
            return false;
        }
        try {
            claimer.execute(() -> {
                try {
                    claim.run();
                } catch (RuntimeException e) {
                    log.info("claim ahead of units of inode {} from unit {} failed (the writer claims them itself "
                            + "when it gets there): {}", ino, first, e.toString());
                } finally {
                    inFlight.remove(key);
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(key);
            return false; // closing
        }
        sent.incrementAndGet();
        return true;
    }

    /** Claims sent ahead so far. */
    long sent() {
        return sent.get();
    }

    @Override
    public void close() {
        claimer.shutdownNow();
    }
}
