package io.tierfs.migration.policy;

/**
 * A policy document written against a version that is no longer current: someone else replaced the policy in
 * between. The REST layer maps it to 409 Conflict; the client re-reads, merges and retries.
 */
public final class StalePolicyVersionException extends RuntimeException {
    private final long currentVersion;
    private final long baseVersion;

    public StalePolicyVersionException(long currentVersion, long baseVersion) {
        super("stale policy: the document is based on version " + baseVersion + " but the current version is "
                + currentVersion + "; re-read the policy and apply your change to it");
        this.currentVersion = currentVersion;
        this.baseVersion = baseVersion;
    }

    public long currentVersion() {
        return currentVersion;
    }

    public long baseVersion() {
        return baseVersion;
    }
}
