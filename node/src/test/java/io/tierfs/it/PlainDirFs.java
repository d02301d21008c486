package io.tierfs.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference target: a fresh local directory. Restart and crash are no-ops (a local FS keeps everything),
 * there is no migration. For {@link FsSpec#tinyTiers} it mounts a tmpfs of that size on the directory when it
 * can (root), so that the ENOSPC suite has real behaviour to pin down; otherwise capacity stays unknown.
 */
public final class PlainDirFs implements FsUnderTest {

    private static final Logger LOG = LoggerFactory.getLogger(PlainDirFs.class);

    private final Path root;
    private final OptionalLong capacity;

    private PlainDirFs(Path root, OptionalLong capacity) {
        this.root = root;
        this.capacity = capacity;
    }

    /** A fresh temp directory (mode 0755, so other users can traverse it), tmpfs-backed if spec asks for a size. */
    public static PlainDirFs create(FsSpec spec) throws IOException {
        Path dir = Files.createTempDirectory("tierfs-it-");
        OptionalLong capacity = OptionalLong.empty();
        if (spec.tinyCapacityBytes().isPresent()) {
            long bytes = spec.tinyCapacityBytes().getAsLong();
            Proc.Result mount = Proc.run(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0755",
                    "tierfs-it", dir.toString()));
            if (mount.exit() == 0) {
                capacity = OptionalLong.of(bytes);
            } else {
                LOG.warn("cannot mount a {}-byte tmpfs on {}, capacity unknown: {}", bytes, dir, mount);
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new PlainDirFs(dir, capacity);
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public void restart() {
        // A local directory survives a "restart" by definition.
    }

    @Override
    public void crash() {
        // Nothing to kill: the kernel keeps the data of a local directory.
    }

    @Override
    public boolean supportsMigration() {
        return false;
    }

    @Override
    public void forceMigration() {
        // A plain directory has a single tier.
    }

    @Override
    public OptionalLong capacityBytes() {
        return capacity;
    }

    @Override
    public String describe() {
        return "plain directory " + root + (capacity.isPresent() ? " (tmpfs of " + capacity.getAsLong() + " bytes)" : "");
    }

    @Override
    public void close() throws IOException {
        if (capacity.isPresent()) {
            Proc.Result umount = Proc.run(List.of("umount", root.toString()));
            if (umount.exit() != 0) {
                throw new IOException("cannot unmount the tmpfs: " + umount);
            }
        }
        TreeOps.deleteRecursively(root);
    }
}
