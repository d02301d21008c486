package io.tierfs.it;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The file system a suite runs against. The suites only see {@link #root()} and a few lifecycle hooks, so the
 * very same suite runs today against a plain local directory ({@link PlainDirFs}, the reference behaviour) and
 * later against a real TierFS FUSE mount ({@code MountedTierFs}), selected by {@code -Dtierfs.it.target}.
 */
public interface FsUnderTest extends AutoCloseable {

    /** System property choosing the target: {@code plain} (default for now) or {@code mount}. */
    String TARGET_PROPERTY = "tierfs.it.target";

    /** Class the lead provides for {@code mount}; it needs {@code public static FsUnderTest start(FsSpec)}. */
    String MOUNT_CLASS = "io.tierfs.it.MountedTierFs";

    /** The directory whose contents the suite may freely create and delete. */
    Path root();

    /** Clean unmount and mount again (same state dir). Everything written before must still be there. */
    void restart() throws IOException;

    /** kill -9 of the node process and mount again. Everything fsynced before must still be there. */
    void crash() throws IOException;

    /** True when {@link #forceMigration()} really moves data between tiers. */
    boolean supportsMigration();

    /** Move data between tiers now (e.g. demote everything one tier down); returns when the moves are done. */
    void forceMigration() throws IOException;

    /** Total data capacity when the target was built with {@link FsSpec#tinyTiers}; empty if unbounded/unknown. */
    OptionalLong capacityBytes();

    /** A short human-readable description for logs and failure messages. */
    String describe();

    /** Log lines that explain a failed data check (empty where there is no engine). */
    default String engineEvidence() {
        return "";
    }

    /**
     * The target's own log lines that name any of {@code paths} (relative to {@link #root()}), the newest
     * {@code max} of them: why an operation answered what it did (empty where the target keeps no such log).
     */
    default String logAbout(java.util.List<String> paths, int max) {
        return "";
    }

    /** Unmount (if mounted) and delete everything the target created. */
    @Override
    void close() throws IOException;

    /** The target chosen by {@value #TARGET_PROPERTY}, standard tiers. */
    static FsUnderTest fromSystemProperty() throws IOException {
        return fromSystemProperty(FsSpec.standard());
    }

    /** The target chosen by {@value #TARGET_PROPERTY}, configured as {@code spec} asks. */
    static FsUnderTest fromSystemProperty(FsSpec spec) throws IOException {
        String target = System.getProperty(TARGET_PROPERTY, "mount");
        switch (target) {
            case "plain":
                return PlainDirFs.create(spec);
            case "mount":
                return startMounted(spec);
            default:
                throw new IllegalArgumentException(TARGET_PROPERTY + " must be plain or mount, not '" + target + "'");
        }
    }

    private static FsUnderTest startMounted(FsSpec spec) throws IOException {
        try {
            Class<?> type = Class.forName(MOUNT_CLASS);
            return (FsUnderTest) type.getMethod("start", FsSpec.class).invoke(null, spec);
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException(MOUNT_CLASS + ".start(FsSpec) is not available", e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("could not start the TierFS mount", cause);
        }
    }
}
