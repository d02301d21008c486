package io.tierfs.node.cli;

import io.tierfs.fuse.MountTable;

import java.nio.file.Path;

/**
 * A path argument of the policy commands: a path inside a TierFS mount ({@code /mnt/tierfs/a/b}) becomes the
 * namespace path {@code /a/b} and its node's state directory; any other absolute path is taken as a namespace path
 * of the node named by {@code --state} (or TIERFS_STATE, or ~/.tierfs). Globs pass through unchanged.
 *
 * @param state the node's state directory
 * @param path  the path in the TierFS namespace, starting with '/'
 */
public record NsPath(Path state, String path) {

    public static NsPath of(String arg, Args args) {
        if (!arg.startsWith("/")) {
            arg = Path.of(arg).toAbsolutePath().normalize().toString();
        }
        MountTable.Entry mount = MountTable.containing(Path.of(arg));
        if (mount != null && mount.isTierFs()) {
            Path state = args.option(StateOption.KEY, null) != null ? StateOption.resolve(args)
                    : mount.stateDir().orElseGet(() -> StateOption.resolve(args));
            String rel = arg.substring(mount.mountPoint().length());
            return new NsPath(state, rel.isEmpty() ? "/" : rel.startsWith("/") ? rel : "/" + rel);
        }
        return new NsPath(StateOption.resolve(args), arg);
    }
}
