package io.tierfs.tier.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayoutCommitterTest {

    @Test
    void everyChangeIsCoveredByACommitThatStartedAfterIt() throws Exception {
        AtomicLong committedUpTo = new AtomicLong();
        AtomicInteger commits = new AtomicInteger();
        AtomicLong lastChange = new AtomicLong();
        CountDownLatch firstCommitRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LayoutCommitter[] holder = new LayoutCommitter[1];
        holder[0] = new LayoutCommitter(() -> {
            long upTo = lastChange.get();
            if (commits.incrementAndGet() == 1) {
                firstCommitRunning.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            committedUpTo.set(upTo);
        });
        LayoutCommitter c = holder[0];
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            long first = c.changed();
            lastChange.set(first);
            Future<?> leader = pool.submit(() -> c.awaitDurable(first));
            assertTrue(firstCommitRunning.await(10, TimeUnit.SECONDS));
            // seven changes while the first commit is in flight: they must wait for a second one, and share it
            List<Future<Long>> later = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                long seq = c.changed();
                lastChange.set(seq);
                later.add(pool.submit(() -> {
                    c.awaitDurable(seq);
                    return seq;
                }));
            }
            release.countDown();
            leader.get(10, TimeUnit.SECONDS);
            for (Future<Long> f : later) {
                long seq = f.get(10, TimeUnit.SECONDS);
                assertTrue(committedUpTo.get() >= seq, "returned before a commit covered change " + seq);
            }
            assertTrue(commits.get() <= 3, "eight changes, " + commits.get() + " commits (group commit)");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedCommitFailsItsWaiterAndTheNextOneRetries() {
        AtomicInteger calls = new AtomicInteger();
        LayoutCommitter c = new LayoutCommitter(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("disk full");
            }
        });
        long seq = c.changed();
        assertThrows(IllegalStateException.class, () -> c.awaitDurable(seq));
        c.awaitDurable(seq);
        assertEquals(2, calls.get());
        c.awaitDurable(seq); // already durable: no commit
        assertEquals(2, calls.get());
    }
}
