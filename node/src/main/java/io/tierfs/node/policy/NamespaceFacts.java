package io.tierfs.node.policy;

import io.tierfs.common.Attr;
import io.tierfs.common.FsException;
import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.Heat;
import io.tierfs.vfs.Vfs;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * What the policy needs to know of a file and only the namespace knows: its path, owner, times and
 * {@code user.tierfs.*} attributes. The namespace has no inode-to-path lookup, so the path is the one the VFS saw
 * the file opened or created under (bounded memory: see {@code Vfs.recentPath}); a file not opened since the node
 * started, beyond that memory or renamed since, has no known path and no path rule matches it until it is opened
 * again (pins and pre-stages record their paths themselves).
 */
public final class NamespaceFacts implements LongFunction<FileInfo> {
    private static final String PREFIX = "user.tierfs.";
    private final Vfs vfs;

    public NamespaceFacts(Vfs vfs) {
        this.vfs = vfs;
    }

    /** The facts of {@code ino}; null when its path is unknown (the mover then uses the engine's stats alone). */
    @Override
    public FileInfo apply(long ino) {
        Optional<String> path = vfs.recentPath(ino);
        if (path.isEmpty()) {
            return null;
        }
        try {
            return of(path.get());
        } catch (FsException e) {
            return null;
        }
    }

    /** The facts of the file at {@code path} (tier and bytes left 0: the mover fills them in). */
    public FileInfo of(String path) {
        Attr a = vfs.getattr(path);
        Map<String, String> x = new HashMap<>();
        for (String name : vfs.listxattr(path)) {
            if (name.startsWith(PREFIX)) {
                try {
                    x.put(name, new String(vfs.getxattr(path, name), StandardCharsets.UTF_8));
                } catch (FsException e) {
                    // removed since listed: the file simply has no such attribute now
                }
            }
        }
        return new FileInfo(a.ino(), path, a.size(), a.size(), a.uid(), a.gid(), a.mtimeNs() / 1_000_000,
                a.atimeNs() / 1_000_000, Heat.COLD, 0, x, 0);
    }
}
