package io.tierfs.migration.live;

import io.tierfs.migration.policy.plan.MoveKind;

/**
 * One file move as operators see it (GET /api/v1/migrations): what, why, and how far it got.
 *
 * @param id            sequence number, unique per node run
 * @param kind          recall, pre-stage, demotion or promotion
 * @param prestageId    the pre-stage request it serves; null otherwise
 * @param path          the file's path if known, else ""
 * @param bytes         bytes planned
 * @param bytesMoved    bytes copied so far
 * @param chunks        chunk copies moved so far
 * @param startedMillis 0 while queued
 * @param endedMillis   0 until done or failed
 * @param error         why it failed; null otherwise
 * @param reason        the planner's one-line reason
 */
public record MoveRecord(long id, MoveKind kind, String prestageId, long ino, String path, String fromTier,
                         String toTier, long bytes, MoveState state, long bytesMoved, int chunks, long queuedMillis,
                         long startedMillis, long endedMillis, String error, String reason) {

    public MoveRecord with(MoveState s, long moved, int nChunks, long started, long ended, String err) {
        return new MoveRecord(id, kind, prestageId, ino, path, fromTier, toTier, bytes, s, moved, nChunks,
                queuedMillis, started, ended, err, reason);
    }
}
