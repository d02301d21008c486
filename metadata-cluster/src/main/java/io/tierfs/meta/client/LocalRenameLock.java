package io.tierfs.meta.client;

import io.tierfs.meta.state.RenameLease;
import io.tierfs.meta.state.RenameLease.LockAnswer;

import java.time.Clock;
import java.time.Duration;

/**
 * The rename lock inside one process (for {@code io.tierfs.meta.local.LocalNamespace}): the same lease rules as
 * the cluster's lock entity, in memory, on the given clock. Every client that should be serialized must share
 * one instance. Thread-safe.
 */
public final class LocalRenameLock implements RenameLock {
    private final Clock clock;
    private RenameLease lease = RenameLease.FREE;

    public LocalRenameLock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized LockAnswer acquire(long txid, long srcDir, long takeOver, Duration leaseTime) {
        long now = clock.millis();
        if (!lease.grants(txid, takeOver, now)) {
            return lease.busy(now);
        }
        lease = new RenameLease(txid, srcDir, now + leaseTime.toMillis());
        return LockAnswer.GRANTED;
    }

    @Override
    public synchronized boolean release(long txid) {
        if (lease.holder() != txid) {
            return false;
        }
        lease = RenameLease.FREE;
        return true;
    }
}
