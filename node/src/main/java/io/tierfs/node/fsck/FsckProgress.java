package io.tierfs.node.fsck;

/**
 * Where a long check is: a phase with a known number of steps (directories), advanced as they are done. The
 * checker calls it from its one thread; {@link #NONE} ignores everything (pipes, --json, tests).
 */
public interface FsckProgress {
    FsckProgress NONE = new FsckProgress() {
        @Override
        public void phase(String name, long total) {
        }

        @Override
        public void advance(long done) {
        }

        @Override
        public void finish() {
        }
    };

    /** A new phase of {@code total} steps begins (0 or less: unknown). */
    void phase(String name, long total);

    /** {@code done} steps of the current phase are done. */
    void advance(long done);

    /** The check is over (ends a progress line). */
    void finish();
}
