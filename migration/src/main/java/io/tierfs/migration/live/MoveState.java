package io.tierfs.migration.live;

/** Where one file move of the live mover stands; the last two are final. */
public enum MoveState {
    /** planned, waiting for a free slot (a later round may replace it) */
    QUEUED,
    /** chunk data is being copied (and its CRC32C checked) */
    COPYING,
    /** the copy checked out; the layout is being switched in one durable commit */
    VERIFYING,
    DONE,
    FAILED
}
