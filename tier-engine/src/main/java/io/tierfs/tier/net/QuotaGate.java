package io.tierfs.tier.net;

/**
 * Decides whether an owner may grow its bytes in a {@link ChunkRepository} (a lease on lent memory, say). Asked
 * before a write or truncate makes a chunk longer, with the growth in bytes; a refusal fails that call with ENOSPC
 * and changes nothing. Calls for one owner are serialized by the repository, so a gate that compares
 * {@code usedBytes(owner) + growthBytes} with a limit is exact. Must not block for long.
 */
@FunctionalInterface
public interface QuotaGate {
    /** Admits everything. */
    QuotaGate UNLIMITED = (owner, growthBytes) -> true;

    boolean admit(String owner, long growthBytes);
}
