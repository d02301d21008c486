package io.tierfs.tier.engine;

import io.tierfs.common.config.TierSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * One configured tier of this node: a directory of chunk files and a byte account against its capacity.
 * The account is by bytes stored (chunk lengths), reserved before data is written so that a write that does
 * not fit fails before it changes anything.
 */
public final class TierStore {
    private static final Logger log = LoggerFactory.getLogger(TierStore.class);

    private final int index;
    private final TierSpec spec;
    private final Path dir;
    private final AtomicLong used = new AtomicLong();
    private final TierIoStats io = new TierIoStats();
    /** Sub-directories that gained entries since the last directory sync (durable tiers only). */
    private final Set<Path> dirtyDirs = ConcurrentHashMap.newKeySet();

    TierStore(int index, TierSpec spec) {
        this.index = index;
        this.spec = spec;
        this.dir = spec.path().toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create tier directory " + dir, e);
        }
    }

    public int index() {
        return index;
    }

    public TierSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public boolean durable() {
        return spec.kind().durable();
    }

    public Path dir() {
        return dir;
    }

    public long used() {
        return used.get();
    }

    public long capacity() {
        return spec.capacityBytes();
    }

    /** Application reads and writes that reached this tier. */
    public TierIoStats io() {
        return io;
    }

    /** Takes {@code bytes} of this tier's capacity if they are free. */
    boolean tryReserve(long bytes) {
        if (bytes <= 0) {
            return true;
        }
        long cap = spec.capacityBytes();
        while (true) {
            long u = used.get();
            if (u + bytes > cap) {
                return false;
            }
            if (used.compareAndSet(u, u + bytes)) {
                return true;
            }
        }
    }

    /** Accounts bytes found on disk at recovery (may exceed a capacity that was lowered since). */
    void forceReserve(long bytes) {
        used.addAndGet(bytes);
    }

    void release(long bytes) {
        if (bytes > 0) {
            used.addAndGet(-bytes);
        }
    }

    Path file(long ino, int chunk, long gen) {
        return new ChunkFileName(ino, chunk, gen).resolve(dir);
    }

    /** Opens (creating if needed) a chunk file for reading and writing. */
    FileChannel open(long ino, int chunk, long gen, boolean create) throws IOException {
        Path p = file(ino, chunk, gen);
        if (create) {
            Path parent = p.getParent();
            if (!Files.isDirectory(parent)) {
                Files.createDirectories(parent);
                dirtyDirs.add(dir);
            }
            if (durable()) {
                dirtyDirs.add(parent);
            }
            return FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        }
        return FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Deletes one chunk file; a missing file is not an error (deletes are idempotent). */
    void delete(long ino, int chunk, long gen) {
        Path p = file(ino, chunk, gen);
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete chunk file " + p, e);
        }
    }

    /** Makes the creation of new chunk files durable (fsync of their directories). */
    void syncDirs() {
        if (!durable() || dirtyDirs.isEmpty()) {
            return;
        }
        for (Path d : dirtyDirs.toArray(new Path[0])) {
            dirtyDirs.remove(d);
            try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                log.warn("tier {}: cannot sync directory {}: {}", name(), d, e.toString());
            }
        }
    }

    /** Calls {@code sink} for every chunk file in this tier with its size; other files are logged and skipped. */
    void scan(BiConsumer<ChunkFileName, Long> sink) {
        try (Stream<Path> subdirs = Files.list(dir)) {
            for (Path sub : (Iterable<Path>) subdirs::iterator) {
                if (!Files.isDirectory(sub)) {
                    log.warn("tier {}: ignoring stray file {}", name(), sub);
                    continue;
                }
                try (Stream<Path> files = Files.list(sub)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        ChunkFileName n = ChunkFileName.parse(f.getFileName().toString());
                        if (n == null) {
                            log.warn("tier {}: ignoring stray file {}", name(), f);
                            continue;
                        }
                        sink.accept(n, Files.size(f));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan tier directory " + dir, e);
        }
    }

    @Override
    public String toString() {
        return "tier " + name() + " (" + spec.kind() + ", " + dir + ")";
    }
}
