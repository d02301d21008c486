package io.tierfs.migration;

/**
 * Observes the mover's chunk copies. Called on mover threads: implementations must be quick and must not throw
 * (an exception is logged and the move goes on).
 */
public interface MoveListener {
    /** A copy starts ({@link MoveEvent#result()} is null). */
    void started(MoveEvent e);

    /** A copy ended: moved, skipped, raced or failed. */
    void finished(MoveEvent e);
}
