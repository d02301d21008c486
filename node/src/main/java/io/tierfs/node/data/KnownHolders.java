package io.tierfs.node.data;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The holders of claim units of files homed on other members, as their homes answered claims: an answer is final for the
 * life of the file ({@link ChunkClaims}), so it is kept until the file is deleted here or the table grows past
 * {@link #MAX_FILES} files (then it starts over: the homes still know, a forgotten answer costs one more claim).
 * Thread-safe.
 */
final class KnownHolders {
    static final int MAX_FILES = 65_536;

    private final ConcurrentHashMap<Long, Map<Long, String>> byFile = new ConcurrentHashMap<>();

    /** The member that holds unit {@code u} of {@code ino}, or null when not known here. */
    String of(long ino, long u) {
        Map<Long, String> m = byFile.get(ino);
        return m == null ? null : m.get(u);
    }

    /** Keeps a home's answer for units {@code first, first+stride, ...}. */
    void learned(long ino, long first, int stride, List<String> holders) {
        if (byFile.size() >= MAX_FILES && !byFile.containsKey(ino)) {
            byFile.clear();
        }
        Map<Long, String> m = byFile.computeIfAbsent(ino, k -> new ConcurrentHashMap<>());
        for (int i = 0; i < holders.size(); i++) {
            m.put(first + (long) i * stride, holders.get(i));
        }
    }

    void forget(long ino) {
        byFile.remove(ino);
    }
}
