package io.tierfs.tier.engine;

/**
 * A move of one copy of one chunk that {@link TierEngine#beginMove} accepted: its intent is persisted and the
 * target's capacity reserved. {@code durableRole} moves the durable copy of a chunk whose primary is on a
 * volatile tier; {@code dropOnly} demotes a clean volatile primary by switching to its durable copy (no copy).
 */
public record MoveTicket(long ino, int index, boolean durableRole, boolean dropOnly, int fromTier, long fromGen,
                         int toTier, long toGen, long length, long version) {

    MoveIntent intent() {
        return new MoveIntent(ino, index, durableRole, fromTier, fromGen, toTier, toGen);
    }
}
