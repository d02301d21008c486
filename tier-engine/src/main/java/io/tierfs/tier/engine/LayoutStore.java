package io.tierfs.tier.engine;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The persisted chunk layout index, keyed by inode and chunk (apart from the namespace, DESIGN.md), plus the
 * intents of moves in flight. An H2 MVStore file: puts are cheap and auto-committed in the background; a
 * {@link #commitDurably()} makes everything put so far survive a crash and a power loss, and one commit holds
 * every put since the previous one, which is how a move switches its layout and drops its intent atomically.
 */
final class LayoutStore implements AutoCloseable {
    private final MVStore store;
    private final MVMap<String, long[]> chunks;
    private final MVMap<String, long[]> intents;
    private final MVMap<Long, String> paths;

    LayoutStore(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create layout directory " + dir, e);
        }
        // "async:" (AsynchronousFileChannel): an interrupted caller does not close the store's file under everyone.
        store = new MVStore.Builder().fileName("async:" + dir.resolve("layout.mv")).autoCommitBufferSize(1024).open();
        store.setAutoCommitDelay(1000);
        chunks = store.openMap("chunks");
        intents = store.openMap("intents");
        paths = store.openMap("paths");
    }

    /** Sorts by inode, then chunk index, so one inode's chunks are one key range. */
    static String key(long ino, int index) {
        return String.format("%016x%08x", ino, index);
    }

    static long inoOf(String key) {
        return Long.parseUnsignedLong(key.substring(0, 16), 16);
    }

    static int indexOf(String key) {
        return (int) Long.parseLong(key.substring(16), 16);
    }

    void put(long ino, int index, LayoutRecord rec) {
        chunks.put(key(ino, index), rec.toArray());
    }

    void remove(long ino, int index) {
        chunks.remove(key(ino, index));
    }

    void forEachChunk(BiConsumer<String, LayoutRecord> sink) {
        for (Map.Entry<String, long[]> e : chunks.entrySet()) {
            sink.accept(e.getKey(), LayoutRecord.of(e.getValue()));
        }
    }

    void putIntent(MoveIntent intent) {
        intents.put(intent.key(), intent.toArray());
    }

    /** A path of {@code ino} as last seen (a hint for the policy: checked against the namespace before use). */
    void putPath(long ino, String path) {
        if (!path.equals(paths.get(ino))) {
            paths.put(ino, path);
        }
    }

    String path(long ino) {
        return paths.get(ino);
    }

    void removePath(long ino) {
        paths.remove(ino);
    }

    void removeIntent(MoveIntent intent) {
        intents.remove(intent.key());
    }

    Map<String, long[]> intents() {
        return Map.copyOf(intents);
    }

    void clearIntents() {
        intents.clear();
    }

    /** Writes pending changes to the file (survives a process crash). */
    void commit() {
        store.commit();
    }

    /** Writes pending changes and forces the file (survives a power loss). */
    void commitDurably() {
        store.commit();
        store.sync();
    }

    @Override
    public void close() {
        store.close();
    }
}
