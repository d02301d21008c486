package io.tierfs.tier.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of the chunk layout for concurrent moves. A move's switch is applied in memory and put into the
 * layout under its chunk's lock, then waits here until a durable commit (tier directories synced, layout
 * committed and synced) covers it. One waiter at a time does the I/O for everyone whose change came before it
 * started; the rest wait for it. N concurrent moves pay one commit instead of N: each commit costs a few fsyncs,
 * which dominated the mover's time against a plain copy.
 */
final class LayoutCommitter {
    private final Runnable commit;
    private final AtomicLong changes = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    private long durable;
    private boolean committing;

    /** @param commit makes every layout change made so far durable (called without any chunk lock held) */
    LayoutCommitter(Runnable commit) {
        this.commit = commit;
    }

    /** Counts a change that was just put into the layout; returns its sequence number for {@link #awaitDurable}. */
    long changed() {
        return changes.incrementAndGet();
    }

    /** Returns once a durable commit that started after change {@code seq} was made has finished. */
    void awaitDurable(long seq) {
        lock.lock();
        try {
            while (durable < seq) {
                if (committing) {
                    finished.awaitUninterruptibly();
                    continue;
                }
                committing = true;
                long covered = changes.get();
                boolean ok = false;
                lock.unlock();
                try {
                    commit.run();
                    ok = true;
                } finally {
                    lock.lock();
                    committing = false;
                    if (ok) {
                        durable = Math.max(durable, covered);
                    }
                    finished.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
