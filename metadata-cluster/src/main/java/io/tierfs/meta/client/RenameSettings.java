package io.tierfs.meta.client;

import java.time.Clock;
import java.time.Duration;

/**
 * How {@link CrossDirRename} serializes directory renames across directories and when a driver gives a rename up
 * to the source directory's re-drive.
 *
 * @param lock     the lock every client of the namespace respects (the cluster's lock entity, or one in-process
 *                 lock shared by all clients of a process)
 * @param lease    how long a taken lock stays valid without renewal; the lock of a crashed coordinator frees
 *                 itself after this (and is never taken from a rename whose intent is still pending)
 * @param lockWait how long a rename waits for the lock before ETIMEDOUT
 * @param handOver a driver stops before a step once it has been driving a rename for this long and leaves the rest
 *                 to the source directory's re-drive (which starts after {@code tierfs.meta.intent-timeout}); half
 *                 the intent timeout, so that a slow coordinator and a re-drive do not run the same steps at once
 * @param outcomeWait how long a driver that handed its rename over (or lost a step's answer) keeps asking the source
 *                 directory for the rename's outcome before it answers ETIMEDOUT: the caller's own deadline for one
 *                 call (the ask deadline), so that a rename that completes through the re-drive within it is
 *                 reported as done (or, undone, as retried from the start), never as timed out
 */
public record RenameSettings(RenameLock lock, Duration lease, Duration lockWait, Duration handOver,
                             Duration outcomeWait) {

    /** For a process whose clients all share {@code lock} and that never leaves a rename to a re-drive. */
    public static RenameSettings inProcess(Clock clock) {
        return new RenameSettings(new LocalRenameLock(clock), Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofDays(1), Duration.ofSeconds(60));
    }
}
