package io.tierfs.meta.state;

/**
 * A cross-directory rename of a directory, persisted in the source directory before any other step so that a crash
 * in the middle is rolled forward on recovery. {@code victim} is the directory being replaced at the target (0: none).
 */
public record RenameIntent(long txid, String srcName, long child, long dstDir, String dstName, long victim)
        implements CborSerializable {
}
