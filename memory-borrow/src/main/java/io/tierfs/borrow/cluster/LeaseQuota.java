package io.tierfs.borrow.cluster;

import io.tierfs.tier.net.ChunkRepository;
import io.tierfs.tier.net.QuotaGate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lender's data plane admits a borrower's bytes only within the leases it holds: the bridge between the lender
 * actor (which grants) and the chunk server's threads (which write). Thread-safe.
 */
final class LeaseQuota implements QuotaGate {
    private final Map<String, Long> granted = new ConcurrentHashMap<>();
    private volatile ChunkRepository repo;

    void repository(ChunkRepository r) {
        this.repo = r;
    }

    void set(String borrower, long bytes) {
        if (bytes <= 0) {
            granted.remove(borrower);
        } else {
            granted.put(borrower, bytes);
        }
    }

    @Override
    public boolean admit(String owner, long growthBytes) {
        ChunkRepository r = repo;
        long used = r == null ? 0 : r.usedBytes(owner);
        return used + growthBytes <= granted.getOrDefault(owner, 0L);
    }
}
