package io.tierfs.node;

import io.tierfs.common.Version;
import io.tierfs.common.config.ConfigException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The node's state directory (journal, layout index, tier directories, gateway port and token).
 * Guards two invariants: only one node process uses a state directory at a time (an exclusive file lock),
 * and a state directory written by an incompatible on-disk format is refused rather than misread.
 */
public final class StateDir implements AutoCloseable {
    static final String FORMAT_FILE = "FORMAT";
    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private StateDir(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates (if needed), checks the format of, and locks {@code root}. */
    public static StateDir open(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("cannot create state directory " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new ConfigException("state directory " + dir + " is not writable");
        }
        checkFormat(dir);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                throw new ConfigException("state directory " + dir + " is in use by another TierFS node"
                        + readPidNote(dir));
            }
            Files.writeString(dir.resolve("pid"), Long.toString(ProcessHandle.current().pid()));
            return new StateDir(dir, ch, l);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new ConfigException("state directory " + dir + " is already open in this process", e);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new ConfigException("cannot lock state directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                // the original failure is what the operator needs to see
            }
        }
    }

    private static String readPidNote(Path dir) {
        try {
            return " (pid " + Files.readString(dir.resolve("pid")).trim() + ")";
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Read-only check, done before anything is created: the directory is absent, or was written by this state
     * format, or holds nothing but what a first start creates. Throws {@link ConfigException} otherwise.
     */
    public static void verify(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("state directory " + dir + " is not a directory");
        }
        Path f = dir.resolve(FORMAT_FILE);
        try {
            if (Files.exists(f)) {
                String text = Files.readString(f, StandardCharsets.UTF_8).trim();
                int format;
                try {
                    format = Integer.parseInt(text.replaceFirst("^tierfs-state-format\\s+", ""));
                } catch (NumberFormatException e) {
                    throw new ConfigException("state directory " + dir + " has an unreadable " + FORMAT_FILE
                            + " file ('" + text + "'): not a TierFS state directory?");
                }
                if (format != Version.STATE_FORMAT) {
                    throw new ConfigException("state directory " + dir + " was written by an incompatible TierFS (state format "
                            + format + ", this version reads format " + Version.STATE_FORMAT + ")");
                }
                return;
            }
            try (var entries = Files.list(dir)) {
                if (entries.anyMatch(p -> !FIRST_START_ENTRIES.contains(p.getFileName().toString())
                        && !p.getFileName().toString().startsWith("."))) {
                    throw new ConfigException("state directory " + dir + " is not empty and has no " + FORMAT_FILE
                            + " file: refusing to use a directory TierFS did not create");
                }
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read state directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** What a first start may have created before the FORMAT file (tier directories, the lock). */
    private static final java.util.Set<String> FIRST_START_ENTRIES = java.util.Set.of("lock", "pid", "tiers", "logs");

    private static void checkFormat(Path dir) {
        verify(dir);
        Path f = dir.resolve(FORMAT_FILE);
        if (!Files.exists(f)) {
            try {
                Files.writeString(f, "tierfs-state-format " + Version.STATE_FORMAT + "\n");
            } catch (IOException e) {
                throw new ConfigException("cannot write " + f + ": " + e.getMessage(), e);
            }
        }
    }

    public Path root() {
        return root;
    }

    public Path resolve(String name) {
        return root.resolve(name);
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new IllegalStateException("cannot release the lock of " + root, e);
        }
    }
}
