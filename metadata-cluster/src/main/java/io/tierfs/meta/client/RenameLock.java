package io.tierfs.meta.client;

import io.tierfs.meta.state.RenameLease.LockAnswer;

import java.time.Duration;

/**
 * The transport to the cluster-wide lock of directory renames across directories ({@link
 * io.tierfs.meta.state.RenameLease}): one blocking call per attempt. Waiting, takeover of an expired lease and
 * re-driving a crashed holder's rename are the caller's ({@link CrossDirRename}), so that every implementation
 * keeps the same rules. Failures are FsExceptions (ETIMEDOUT when the lock does not answer).
 */
public interface RenameLock {

    /**
     * Takes or renews the lock for rename {@code txid} (source directory {@code srcDir}) for {@code lease}; or
     * takes it from {@code takeOver} (0: none) if that holder's lease has expired.
     */
    LockAnswer acquire(long txid, long srcDir, long takeOver, Duration lease);

    /** Frees the lock if {@code txid} holds it; idempotent. Returns whether it held it. */
    boolean release(long txid);
}
