package io.tierfs.vfs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A bounded inode-to-path memory: the namespace has no reverse lookup (an inode may have many names, and names are
 * homed in directories), but the policy engine matches rules by path. The VFS records the path a file was last
 * opened or created under; the oldest entries are forgotten past {@link #DEFAULT_CAPACITY}. A recorded path may be
 * stale after a rename or unlink, so readers check that it still names the same inode.
 */
final class RecentPaths {
    static final int DEFAULT_CAPACITY = 65_536;

    private final int capacity;
    private final Map<Long, String> paths;

    RecentPaths(int capacity) {
        this.capacity = capacity;
        this.paths = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
                return size() > RecentPaths.this.capacity;
            }
        };
    }

    synchronized void record(long ino, String path) {
        paths.put(ino, path);
    }

    synchronized Optional<String> get(long ino) {
        return Optional.ofNullable(paths.get(ino));
    }

    synchronized void forget(long ino) {
        paths.remove(ino);
    }
}
