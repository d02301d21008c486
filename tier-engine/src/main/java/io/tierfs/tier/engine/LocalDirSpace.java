package io.tierfs.tier.engine;

import io.tierfs.tier.os.PageCacheAdvice;
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
 * Chunk copies as files in one local directory ({@link ChunkFileName} layout): the SSD and HDD tiers, and the DRAM
 * tier of a node that does not borrow memory (a directory under /dev/shm).
 */
public final class LocalDirSpace implements ChunkSpace {
    private static final Logger log = LoggerFactory.getLogger(LocalDirSpace.class);

    private final String tier;
    private final Path dir;
    private final long capacity;
    private final boolean durable;
    /** Sub-directories that gained entries since the last directory sync (durable tiers only). */
    private final Set<Path> dirtyDirs = ConcurrentHashMap.newKeySet();
    /** Failed page-cache advice calls; only the first is a warning (the advice is an optimisation). */
    private final AtomicLong adviceFailures = new AtomicLong();

    public LocalDirSpace(String tier, Path dir, long capacity, boolean durable) {
        this.tier = tier;
        this.dir = dir.toAbsolutePath();
        this.capacity = capacity;
        this.durable = durable;
        try {
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create tier directory " + this.dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    Path file(long ino, int index, long gen) {
        return new ChunkFileName(ino, index, gen).resolve(dir);
    }

    @Override
    public Path localFile(long ino, int index, long gen) {
        return file(ino, index, gen);
    }

    @Override
    public FileChannel open(long ino, int index, long gen, boolean create) throws IOException {
        Path p = file(ino, index, gen);
        if (create) {
            Path parent = p.getParent();
            if (!Files.isDirectory(parent)) {
                Files.createDirectories(parent);
                dirtyDirs.add(dir);
            }
            if (durable) {
                dirtyDirs.add(parent);
            }
            return FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        }
        return FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Override
    public void dropCachedPages(long ino, int index, long gen) {
        if (!durable) {
            return; // a volatile tier's directory is tmpfs: its pages are the copy
        }
        Path p = file(ino, index, gen);
        try {
            PageCacheAdvice.dontNeed(p);
        } catch (IOException e) {
            if (adviceFailures.getAndIncrement() == 0) {
                log.warn("tier {}: cannot drop cached pages of {} (further failures logged at debug): {}", tier, p,
                        e.toString());
            } else {
                log.debug("tier {}: cannot drop cached pages of {}: {}", tier, p, e.toString());
            }
        }
    }

    @Override
    public void delete(long ino, int index, long gen) {
        Path p = file(ino, index, gen);
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete chunk file " + p, e);
        }
    }

    @Override
    public void syncDirs() {
        if (!durable || dirtyDirs.isEmpty()) {
            return;
        }
        for (Path d : dirtyDirs.toArray(new Path[0])) {
            dirtyDirs.remove(d);
            try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                log.warn("tier {}: cannot sync directory {}: {}", tier, d, e.toString());
            }
        }
    }

    @Override
    public void scan(BiConsumer<ChunkFileName, Long> sink) {
        try (Stream<Path> subdirs = Files.list(dir)) {
            for (Path sub : (Iterable<Path>) subdirs::iterator) {
                if (!Files.isDirectory(sub)) {
                    log.warn("tier {}: ignoring stray file {}", tier, sub);
                    continue;
                }
                try (Stream<Path> files = Files.list(sub)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        ChunkFileName n = ChunkFileName.parse(f.getFileName().toString());
                        if (n == null) {
                            log.warn("tier {}: ignoring stray file {}", tier, f);
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
    public String describe() {
        return dir.toString();
    }
}
