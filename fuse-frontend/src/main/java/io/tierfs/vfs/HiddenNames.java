package io.tierfs.vfs;

import io.tierfs.common.InodeRef;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * libfuse 2's high-level API keeps an unlinked-but-open file reachable by renaming it to {@code .fuse_hiddenXXXX}
 * and unlinking that name at the last close (its {@code hard_remove} mode breaks fstat, which arrives without a
 * handle). TierFS turns that rename into a real unlink in the namespace and remembers the hidden name here, in
 * memory only: listings never show it, rmdir of its directory works, and fstat through the hidden name still
 * answers from the open inode. A crash forgets the names, as a local file system forgets unlinked open files.
 */
final class HiddenNames {
    static final String PREFIX = ".fuse_hidden";
    private final Map<String, InodeRef> byPath = new ConcurrentHashMap<>();

    static boolean isHideName(String name) {
        return name.startsWith(PREFIX);
    }

    void put(String path, InodeRef ref) {
        byPath.put(path, ref);
    }

    /** The inode behind a hidden path, or null (the common case: one hash lookup on an almost always empty map). */
    InodeRef get(String path) {
        return byPath.isEmpty() ? null : byPath.get(path);
    }

    InodeRef remove(String path) {
        return byPath.isEmpty() ? null : byPath.remove(path);
    }

    int size() {
        return byPath.size();
    }
}
