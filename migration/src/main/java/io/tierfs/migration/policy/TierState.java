package io.tierfs.migration.policy;

/** A tier's fill as a policy sees it (bytes; fastest tier has index 0). */
public record TierState(int index, String name, long capacityBytes, long usedBytes, long highBytes, long lowBytes) {

    public boolean aboveHigh() {
        return usedBytes > highBytes;
    }
}
