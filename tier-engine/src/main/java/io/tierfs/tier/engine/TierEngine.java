package io.tierfs.tier.engine;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.config.TierFsConfig;
import io.tierfs.common.config.TierSpec;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.DataStore;
import io.tierfs.tier.MoverStatus;
import io.tierfs.tier.ReadSink;
import io.tierfs.tier.TierUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chunk store of one node: file data as chunk files on the configured tiers, a persisted layout index keyed
 * by inode, capacity accounting, placement of new data on the fastest tier with room, a background flusher that
 * copies dirty chunks of volatile tiers to a durable tier, and the primitives the mover uses to move a chunk
 * crash-safely ({@link #beginMove}, {@link #copyForMove}, {@link #switchMove}, {@link #freeSources}).
 * <p>
 * Durability follows DESIGN.md: a chunk on a volatile tier is dirty until copied to a durable tier; fsync copies
 * the file's dirty chunks, forces its files and commits the layout before it returns. The in-memory chunk state
 * is the truth while running; the layout index is written through on placement changes (not on every write) and
 * committed durably whenever a file freed by a switch is about to be deleted.
 */
public final class TierEngine implements DataStore {
    private static final Logger log = LoggerFactory.getLogger(TierEngine.class);
    private static final int MAX_OPEN_CHANNELS = 1024;

    private final List<TierStore> tiers;
    private final long chunkSize;
    private final int chunkShift;
    private final Clock clock;
    private final String node;
    private final LayoutStore layout;
    private final LayoutCommitter moveCommits;
    private final LayoutCommitter intentCommits;
    /** Placement of new data per inode, when a policy rule chose one (see {@link #placeNewData}). */
    private final ConcurrentHashMap<Long, Integer> newDataTier = new ConcurrentHashMap<>();
    private final Map<Long, FileLayout> layouts;
    private final Set<Chunk> dirty = ConcurrentHashMap.newKeySet();
    private final ChannelCache channels = new ChannelCache(MAX_OPEN_CHANNELS);
    private final ConcurrentLinkedQueue<FileRef> deferredFrees = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextGen;
    private final io.tierfs.tier.AppendOrder appends = new io.tierfs.tier.AppendOrder();
    private final long flushAgeMillis;
    private final ScheduledExecutorService flusher;
    private volatile boolean closed;

    /**
     * Opens the store over {@code tiers} (fastest first), with its layout index under {@code layoutDir}, recovering
     * whatever a previous run left. With a positive {@code flushInterval} a background flusher keeps dirty data
     * younger than that interval; with {@code null} nothing is flushed except by {@link #fsync} and {@link #flushDirty}.
     */
    public TierEngine(List<TierSpec> tiers, Path layoutDir, long chunkSize, Duration flushInterval, Clock clock,
                      String nodeName) {
        this(tiers, layoutDir, chunkSize, flushInterval, clock, nodeName, TierEngine::localSpace);
    }

    /**
     * As above, with the {@link ChunkSpace} of each tier chosen by {@code spaces} (e.g. lent memory for the DRAM tier
     * of a node that borrows; {@link #localSpace} for a directory).
     */
    public TierEngine(List<TierSpec> tiers, Path layoutDir, long chunkSize, Duration flushInterval, Clock clock,
                      String nodeName, java.util.function.Function<TierSpec, ChunkSpace> spaces) {
        if (Long.bitCount(chunkSize) != 1) {
            throw new IllegalArgumentException("chunk size must be a power of two: " + chunkSize);
        }
        List<TierStore> ts = new ArrayList<>();
        for (int i = 0; i < tiers.size(); i++) {
            ts.add(new TierStore(i, tiers.get(i), spaces.apply(tiers.get(i))));
        }
        this.tiers = List.copyOf(ts);
        this.chunkSize = chunkSize;
        this.chunkShift = Long.numberOfTrailingZeros(chunkSize);
        this.clock = clock;
        this.node = nodeName;
        this.layout = new LayoutStore(layoutDir);
        this.moveCommits = new LayoutCommitter(() -> {
            for (TierStore tier : this.tiers) {
                tier.syncDirs();
            }
            layout.commitDurably();
        });
        this.intentCommits = new LayoutCommitter(layout::commit);
        Recovery.Result r = Recovery.run(this.tiers, layout, clock.millis());
        this.layouts = new ConcurrentHashMap<>(r.layouts());
        this.dirty.addAll(r.dirty());
        this.nextGen = new AtomicLong(r.nextGen());
        if (flushInterval != null && !flushInterval.isZero() && !flushInterval.isNegative()) {
            this.flushAgeMillis = Math.max(1, flushInterval.toMillis() / 2);
            long tick = Math.max(10, flushInterval.toMillis() / 4);
            this.flusher = Executors.newSingleThreadScheduledExecutor(r2 -> {
                Thread t = new Thread(r2, "tierfs-flusher");
                t.setDaemon(true);
                return t;
            });
            flusher.scheduleWithFixedDelay(this::flushTick, tick, tick, TimeUnit.MILLISECONDS);
        } else {
            this.flushAgeMillis = 0;
            this.flusher = null;
        }
    }

    /** A tier's chunks as files in its configured directory. */
    public static ChunkSpace localSpace(TierSpec spec) {
        return new LocalDirSpace(spec.name(), spec.path(), spec.capacityBytes(), spec.kind().durable());
    }

    /** The store as configured: tiers, chunk size and flush interval of {@code cfg}, layout under stateDir/layout. */
    public static TierEngine open(TierFsConfig cfg, Clock clock, String nodeName) {
        return open(cfg, clock, nodeName, TierEngine::localSpace);
    }

    /** As {@link #open(TierFsConfig, Clock, String)} with each tier's space chosen by {@code spaces}. */
    public static TierEngine open(TierFsConfig cfg, Clock clock, String nodeName,
                                  java.util.function.Function<TierSpec, ChunkSpace> spaces) {
        return new TierEngine(cfg.tiers(), cfg.stateDir().resolve("layout"), cfg.chunkSize(), cfg.flushInterval(),
                clock, nodeName, spaces);
    }

    // ------------------------------------------------------------------ DataStore

    @Override
    public int read(long ino, long offset, ByteBuffer dst) {
        int n = dst.remaining();
        read(ino, offset, n, new ReadSink() {
            @Override
            public boolean file(Path file, long pos, int len) {
                return false;
            }

            @Override
            public ByteBuffer memory(int len) {
                ByteBuffer part = dst.slice(dst.position(), len);
                dst.position(dst.position() + len);
                return part;
            }
        }, false);
        return n;
    }

    @Override
    public void read(long ino, long offset, int len, ReadSink sink) {
        read(ino, offset, len, sink, true);
    }

    private void read(long ino, long offset, int len, ReadSink sink, boolean offerFiles) {
        if (len == 0) {
            return;
        }
        checkRange(ino, offset, len);
        FileLayout f = layouts.get(ino);
        long pos = offset;
        int left = len;
        while (left > 0) {
            int idx = index(pos);
            long inChunk = pos - ((long) idx << chunkShift);
            int n = (int) Math.min(left, chunkSize - inChunk);
            Chunk c = f == null ? null : f.chunks.get(idx);
            if (c == null) {
                ChunkCopier.zero(sink.memory(n));
            } else if (!offerFiles || !offerFile(c, inChunk, n, sink)) {
                readChunk(c, inChunk, sink.memory(n));
            }
            pos += n;
            left -= n;
        }
        if (f != null) {
            f.touch(clock.millis());
        }
    }

    /**
     * Hands {@code n} bytes of chunk {@code c} at {@code inChunk} to the sink as its local file, under the chunk's
     * read lock (so the file is the chunk's current copy when the sink opens it). False when the copy is not a
     * local file, does not hold all {@code n} bytes (a tail past the data reads as zeros), or the sink declines.
     */
    private boolean offerFile(Chunk c, long inChunk, int n, ReadSink sink) {
        c.lock.readLock().lock();
        try {
            if (c.removed || c.tier == Chunk.NONE || c.length - inChunk < n) {
                return false;
            }
            TierStore t = tiers.get(c.tier);
            Path file = t.space().localFile(c.ino, c.index, c.gen);
            if (file == null) {
                return false;
            }
            long t0 = System.nanoTime();
            if (!sink.file(file, inChunk, n)) {
                return false;
            }
            t.io().recordRead(n, System.nanoTime() - t0);
            return true;
        } finally {
            c.lock.readLock().unlock();
        }
    }

    private void readChunk(Chunk c, long inChunk, ByteBuffer part) {
        int p0 = part.position();
        c.lock.readLock().lock();
        try {
            long avail = c.length - inChunk;
            if (c.removed || c.tier == Chunk.NONE || avail <= 0) {
                ChunkCopier.zero(part);
                return;
            }
            long t0 = System.nanoTime();
            int len = part.remaining();
            if (avail < part.remaining()) {
                ByteBuffer head = part.slice(0, (int) avail);
                ChunkCopier.readFully(channels.channel(c, tiers.get(c.tier)), head, inChunk);
                part.position((int) avail);
                ChunkCopier.zero(part);
            } else {
                ChunkCopier.readFully(channels.channel(c, tiers.get(c.tier)), part, inChunk);
            }
            tiers.get(c.tier).io().recordRead(len, System.nanoTime() - t0);
        } catch (IOException e) {
            if (!canFallBack(c)) {
                throw io("read", c, e);
            }
            readDurableCopy(c, inChunk, part.position(p0), e);
        } finally {
            c.lock.readLock().unlock();
        }
    }

    @Override
    public void write(long ino, long offset, ByteBuffer src) {
        int n = src.remaining();
        if (n == 0) {
            return;
        }
        checkRange(ino, offset, n);
        int first = index(offset);
        int last = index(offset + n - 1);
        int attempts = 0;
        while (true) {
            FileLayout f = layouts.computeIfAbsent(ino, i -> new FileLayout(i, clock.millis()));
            Chunk[] cs = new Chunk[last - first + 1];
            int locked = 0;
            boolean retry = false;
            try {
                for (int i = 0; i < cs.length; i++) {
                    Chunk c = f.chunks.computeIfAbsent(first + i, k -> new Chunk(ino, k));
                    c.lock.writeLock().lock();
                    cs[i] = c;
                    locked++;
                    if (c.removed || f.deleted) {
                        retry = true;
                        break;
                    }
                }
                if (!retry) {
                    for (Chunk c : cs) {
                        if (canFallBack(c) && !tiers.get(c.tier).space().reachable(c.ino, c.index)) {
                            fallBackToDurableLocked(c, "its place is unreachable");
                        }
                    }
                    try {
                        writeLocked(f, cs, offset, src);
                    } catch (FsException e) {
                        if (e.errno() != Errno.EIO || attempts++ > 0 || !anyUnreachable(cs)) {
                            throw e;
                        }
                        log.warn("write of inode {} at {}: {}; retrying on the durable copies", ino, offset,
                                e.getMessage());
                        continue;
                    }
                    f.touch(clock.millis());
                    return;
                }
            } finally {
                for (int i = 0; i < locked; i++) {
                    cs[i].lock.writeLock().unlock();
                }
            }
        }
    }

    @Override
    public long append(long ino, long knownEnd, ByteBuffer src) {
        return appends.append(ino, knownEnd, src, this::dataEnd, this::write);
    }

    /**
     * The end of the data held for {@code ino}: the end of its last chunk that holds bytes (its highest byte written,
     * or what a truncate left); 0 for none. Reads each chunk's length under its read lock.
     */
    @Override
    public long dataEnd(long ino) {
        FileLayout f = layouts.get(ino);
        if (f == null) {
            return 0;
        }
        for (Chunk c : f.chunks.descendingMap().values()) {
            c.lock.readLock().lock();
            try {
                if (!c.removed && c.tier != Chunk.NONE && c.length > 0) {
                    return ((long) c.index << chunkShift) + c.length;
                }
            } finally {
                c.lock.readLock().unlock();
            }
        }
        return 0;
    }

    /** Both phases of a write with every touched chunk write-locked: first make room everywhere, then write. */
    private void writeLocked(FileLayout f, Chunk[] cs, long offset, ByteBuffer src) {
        int n = src.remaining();
        long end = offset + n;
        long[] reserved = new long[cs.length];
        boolean[] fresh = new boolean[cs.length];
        long[] newLen = new long[cs.length];
        for (int i = 0; i < cs.length; i++) {
            Chunk c = cs[i];
            long cStart = (long) c.index << chunkShift;
            long wEnd = Math.min(end, cStart + chunkSize) - cStart;
            newLen[i] = Math.max(c.length, wEnd);
            boolean ok;
            if (c.tier == Chunk.NONE) {
                int t = placeNew(c.ino, c.index, newLen[i]);
                ok = t >= 0;
                if (ok) {
                    c.tier = t;
                    c.gen = nextGen.getAndIncrement();
                    c.length = 0;
                    fresh[i] = true;
                    reserved[i] = newLen[i];
                }
            } else {
                long delta = newLen[i] - c.length;
                ok = tiers.get(c.tier).tryReserve(c.ino, c.index, delta) || relocateForGrowth(c, newLen[i]);
                if (ok) {
                    reserved[i] = delta;
                }
            }
            if (!ok) {
                for (int j = 0; j <= i; j++) {
                    if (j < i) {
                        tiers.get(cs[j].tier).release(cs[j].ino, cs[j].index, reserved[j]);
                    }
                    if (fresh[j] || cs[j].tier == Chunk.NONE) {
                        discardUnplaced(f, cs[j]);
                    }
                }
                throw DataStore.noSpace(f.ino);
            }
        }
        int srcPos = src.position();
        for (int i = 0; i < cs.length; i++) {
            Chunk c = cs[i];
            long cStart = (long) c.index << chunkShift;
            long wStart = Math.max(offset, cStart) - cStart;
            long wEnd = Math.min(end, cStart + chunkSize) - cStart;
            ByteBuffer part = src.slice(srcPos + (int) (cStart + wStart - offset), (int) (wEnd - wStart));
            TierStore t = tiers.get(c.tier);
            try {
                long t0 = System.nanoTime();
                FileChannel ch = channels.channel(c, t);
                long p = wStart;
                while (part.hasRemaining()) {
                    p += ch.write(part, p);
                }
                t.io().recordWrite(wEnd - wStart, System.nanoTime() - t0);
            } catch (IOException e) {
                for (int j = i; j < cs.length; j++) {
                    tiers.get(cs[j].tier).release(cs[j].ino, cs[j].index, reserved[j]);
                }
                throw io("write", c, e);
            }
            c.length = newLen[i];
            c.version++;
            boolean persist = fresh[i];
            if (t.durable()) {
                c.unforced = true;
            } else if (!c.dirty) {
                c.dirty = true;
                c.dirtySinceMillis = monoMillis();
                dirty.add(c);
                persist = true;
            }
            if (persist) {
                layout.put(c.ino, c.index, LayoutRecord.of(c));
            }
        }
        src.position(src.limit());
    }

    /**
     * A volatile primary that is clean and has a durable copy can be given up at any time (DESIGN.md: a clean
     * DRAM copy can be dropped at once): what a lender crash or a recall relies on. Caller holds a lock of {@code c}.
     */
    private boolean canFallBack(Chunk c) {
        return !c.removed && c.tier != Chunk.NONE && !tiers.get(c.tier).durable() && !c.dirty && c.hasDurableCopy()
                && c.durableLength == c.length;
    }

    private boolean anyUnreachable(Chunk[] cs) {
        for (Chunk c : cs) {
            if (c.tier != Chunk.NONE && !tiers.get(c.tier).space().reachable(c.ino, c.index)) {
                return true;
            }
        }
        return false;
    }

    /** Serves a read of a clean volatile primary that failed from its durable copy (read lock held). */
    private void readDurableCopy(Chunk c, long inChunk, ByteBuffer part, IOException cause) {
        boolean known = !tiers.get(c.tier).space().reachable(c.ino, c.index); // said once, when first found
        (known ? log.atDebug() : log.atWarn()).log("{}: primary on tier {} failed ({}); reading the durable copy on {}",
                c, tiers.get(c.tier).name(), cause.toString(), tiers.get(c.durableTier).name());
        long avail = c.durableLength - inChunk;
        try (FileChannel ch = tiers.get(c.durableTier).open(c.ino, c.index, c.durableGen, false)) {
            if (avail < part.remaining()) {
                ByteBuffer head = part.slice(part.position(), (int) avail);
                ChunkCopier.readFully(ch, head, inChunk);
                part.position(part.position() + (int) avail);
                ChunkCopier.zero(part);
            } else {
                ChunkCopier.readFully(ch, part, inChunk);
            }
        } catch (IOException e) {
            e.addSuppressed(cause);
            throw io("read (durable copy)", c, e);
        }
    }

    /**
     * Makes the durable copy of a clean volatile chunk its primary (write lock held), without copying: the volatile
     * copy is freed (best effort: its place may be gone). Used when the place of the volatile copy is unreachable.
     */
    private void fallBackToDurableLocked(Chunk c, String why) {
        FileRef lost = new FileRef(c.tier, c.ino, c.index, c.gen, c.length);
        log.warn("{}: dropping its clean copy on tier {} ({}); the durable copy on {} is the primary now", c,
                tiers.get(c.tier).name(), why, tiers.get(c.durableTier).name());
        channels.close(c);
        c.tier = c.durableTier;
        c.gen = c.durableGen;
        c.length = c.durableLength;
        c.unforced = c.durableUnforced;
        c.durableTier = Chunk.NONE;
        c.durableUnforced = false;
        c.dirty = false;
        dirty.remove(c);
        layout.put(c.ino, c.index, LayoutRecord.of(c));
        tiers.get(lost.tier()).release(lost.ino(), lost.index(), lost.length());
        try {
            tiers.get(lost.tier()).delete(lost.ino(), lost.index(), lost.gen());
        } catch (RuntimeException e) {
            log.info("{}: could not delete the dropped copy on tier {} ({}); its place collects it later", c,
                    tiers.get(lost.tier()).name(), e.toString());
        }
    }

    private void discardUnplaced(FileLayout f, Chunk c) {
        c.tier = Chunk.NONE;
        c.removed = true;
        f.chunks.remove(c.index, c);
    }

    /**
     * Where a new chunk of {@code ino} goes, with the bytes reserved: its placement tier (see {@link #placeNewData})
     * or the fastest tier, else the next slower one with room, else a faster one; -1 if no tier has room.
     */
    private int placeNew(long ino, int chunk, long bytes) {
        Integer preferred = newDataTier.get(ino);
        int from = preferred == null ? 0 : preferred;
        for (int i = from; i < tiers.size(); i++) {
            if (tiers.get(i).tryReserve(ino, chunk, bytes)) {
                return i;
            }
        }
        for (int i = from - 1; i >= 0; i--) {
            if (tiers.get(i).tryReserve(ino, chunk, bytes)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Remembers {@code path} as a name of {@code ino}, with its layout (persisted with the next layout commit), so
     * that path rules of the policy still know the file after a restart. A hint: callers check it against the
     * namespace (a rename of a parent directory makes it stale).
     */
    public void pathSeen(long ino, String path) {
        layout.putPath(ino, path);
    }

    /** The last path seen for {@code ino}, if any (see {@link #pathSeen}). */
    public Optional<String> pathHint(long ino) {
        return Optional.ofNullable(layout.path(ino));
    }

    /**
     * New data of {@code ino} lands on tier {@code tier} (a policy's "tier for new data") while it has room. Kept
     * in memory until the inode is deleted; after a restart new data of an existing file lands as by default and
     * the mover applies the policy.
     */
    public void placeNewData(long ino, int tier) {
        if (tier < 0 || tier >= tiers.size()) {
            throw new IllegalArgumentException("no tier " + tier + " (have " + tiers.size() + ")");
        }
        newDataTier.put(ino, tier);
    }

    /**
     * Asks every tier's space to keep a second copy of {@code ino}'s new chunks where it can (lent DRAM: on another
     * lender). Like {@link #placeNewData}, a decision made at create and kept while the file lives in this process.
     */
    public void keepReplicas(long ino) {
        for (TierStore t : tiers) {
            t.space().keepReplicas(ino);
        }
    }

    /**
     * A write extends a chunk whose tier is full: move the chunk right now to the first slower tier that can hold
     * its new length (the mover being behind must not fail a write). Reserves {@code newLen} on that tier.
     */
    private boolean relocateForGrowth(Chunk c, long newLen) {
        for (int j = c.tier + 1; j < tiers.size(); j++) {
            TierStore to = tiers.get(j);
            if (!to.tryReserve(c.ino, c.index, newLen)) {
                continue;
            }
            long g = nextGen.getAndIncrement();
            try (FileChannel dst = to.open(c.ino, c.index, g, true)) {
                ChunkCopier.copy(channels.channel(c, tiers.get(c.tier)), dst, c.length);
                if (to.durable()) {
                    dst.force(true);
                }
            } catch (IOException e) {
                to.release(c.ino, c.index, newLen);
                to.delete(c.ino, c.index, g);
                throw io("relocate", c, e);
            }
            List<FileRef> free = new ArrayList<>();
            free.add(new FileRef(c.tier, c.ino, c.index, c.gen, c.length));
            channels.close(c);
            log.debug("{}: tier {} full, relocated to {}", c, tiers.get(c.tier).name(), to.name());
            c.tier = j;
            c.gen = g;
            if (to.durable()) {
                if (c.hasDurableCopy()) {
                    free.add(new FileRef(c.durableTier, c.ino, c.index, c.durableGen, c.durableLength));
                }
                c.durableTier = Chunk.NONE;
                c.durableUnforced = false; // the copy it was about is freed (a truncate may have cut it unforced)
                c.dirty = false;
                c.unforced = false;
                dirty.remove(c);
            }
            layout.put(c.ino, c.index, LayoutRecord.of(c));
            commitDurablyAndFree(free);
            return true;
        }
        return false;
    }

    @Override
    public void truncate(long ino, long size) {
        if (size < 0) {
            throw FsException.of(Errno.EINVAL, "negative size %d for inode %d", size, ino);
        }
        FileLayout f = layouts.get(ino);
        if (f == null) {
            return;
        }
        for (Chunk c : new ArrayList<>(f.chunks.tailMap(index(size)).values())) {
            c.lock.writeLock().lock();
            try {
                if (c.removed) {
                    continue;
                }
                long start = (long) c.index << chunkShift;
                if (start >= size) {
                    removeChunk(f, c);
                } else {
                    shrink(c, size - start);
                }
            } catch (IOException e) {
                throw io("truncate", c, e);
            } finally {
                c.lock.writeLock().unlock();
            }
        }
    }

    private void shrink(Chunk c, long keep) throws IOException {
        if (c.tier != Chunk.NONE && c.length > keep) {
            channels.channel(c, tiers.get(c.tier)).truncate(keep);
            tiers.get(c.tier).release(c.ino, c.index, c.length - keep);
            c.length = keep;
            c.version++;
            if (tiers.get(c.tier).durable()) {
                c.unforced = true;
            }
        }
        if (c.hasDurableCopy() && c.durableLength > keep) {
            try (FileChannel ch = tiers.get(c.durableTier).open(c.ino, c.index, c.durableGen, false)) {
                ch.truncate(keep);
            }
            tiers.get(c.durableTier).release(c.ino, c.index, c.durableLength - keep);
            c.durableLength = keep;
            c.durableUnforced = true;
        }
    }

    /** Frees every copy of {@code c}; the caller holds its write lock. */
    private void removeChunk(FileLayout f, Chunk c) {
        c.removed = true;
        f.chunks.remove(c.index, c);
        dirty.remove(c);
        channels.close(c);
        if (c.tier != Chunk.NONE) {
            tiers.get(c.tier).delete(c.ino, c.index, c.gen);
            tiers.get(c.tier).release(c.ino, c.index, c.length);
        }
        if (c.hasDurableCopy()) {
            tiers.get(c.durableTier).delete(c.ino, c.index, c.durableGen);
            tiers.get(c.durableTier).release(c.ino, c.index, c.durableLength);
        }
        layout.remove(c.ino, c.index);
    }

    @Override
    public void fsync(long ino) {
        FileLayout f = layouts.get(ino);
        if (f != null) {
            for (Chunk c : f.chunks.values()) {
                c.lock.writeLock().lock();
                try {
                    if (c.removed || c.tier == Chunk.NONE) {
                        continue;
                    }
                    if (c.dirty) {
                        FileRef copy = writeDurableCopy(c);
                        if (copy == null) {
                            throw FsException.of(Errno.ENOSPC, "fsync of inode %d: no durable tier has room for chunk %d",
                                    ino, c.index);
                        }
                        installDurableCopy(c, copy, c.version);
                    }
                    if (c.unforced) {
                        channels.channel(c, tiers.get(c.tier)).force(false);
                        c.unforced = false;
                    }
                    if (c.durableUnforced) {
                        try (FileChannel ch = tiers.get(c.durableTier).open(c.ino, c.index, c.durableGen, false)) {
                            ch.force(false);
                        }
                        c.durableUnforced = false;
                    }
                } catch (IOException e) {
                    throw io("fsync", c, e);
                } finally {
                    c.lock.writeLock().unlock();
                }
            }
        }
        commitDurablyAndFree(List.of());
    }

    /**
     * Copies the primary of {@code c} to a new file on the fastest durable tier with room (its current durable tier
     * first) and forces it. The caller holds the read or write lock. Null when no durable tier has room.
     */
    private FileRef writeDurableCopy(Chunk c) throws IOException {
        long len = c.length;
        int target = -1;
        if (c.hasDurableCopy() && tiers.get(c.durableTier).tryReserve(c.ino, c.index, len)) {
            target = c.durableTier;
        } else {
            for (TierStore t : tiers) {
                if (t.durable() && t.tryReserve(c.ino, c.index, len)) {
                    target = t.index();
                    break;
                }
            }
        }
        if (target < 0) {
            return null;
        }
        TierStore to = tiers.get(target);
        long g = nextGen.getAndIncrement();
        try (FileChannel dst = to.open(c.ino, c.index, g, true)) {
            ChunkCopier.copy(channels.channel(c, tiers.get(c.tier)), dst, len);
            dst.force(true);
        } catch (IOException e) {
            to.release(c.ino, c.index, len);
            to.delete(c.ino, c.index, g);
            throw e;
        }
        to.space().dropCachedPages(c.ino, c.index, g); // the primary stays in DRAM: no second copy in memory
        return new FileRef(target, c.ino, c.index, g, len);
    }

    /**
     * Makes {@code copy} the durable copy of {@code c} (write lock held); the chunk is clean if nothing was written
     * since the copy was taken at {@code versionAtCopy}. The replaced durable copy is freed after the next durable
     * commit. A copy that is no longer wanted (chunk gone, or moved to a durable tier meanwhile) is deleted.
     */
    private void installDurableCopy(Chunk c, FileRef copy, long versionAtCopy) {
        if (c.removed || c.tier == Chunk.NONE || tiers.get(c.tier).durable()) {
            tiers.get(copy.tier()).delete(copy.ino(), copy.index(), copy.gen());
            tiers.get(copy.tier()).release(copy.ino(), copy.index(), copy.length());
            return;
        }
        if (c.hasDurableCopy()) {
            deferredFrees.add(new FileRef(c.durableTier, c.ino, c.index, c.durableGen, c.durableLength));
        }
        c.durableTier = copy.tier();
        c.durableGen = copy.gen();
        c.durableLength = copy.length();
        c.durableUnforced = false;
        if (c.version == versionAtCopy) {
            c.dirty = false;
            dirty.remove(c);
        }
        layout.put(c.ino, c.index, LayoutRecord.of(c));
    }

    private void flushTick() {
        try {
            flushDirty(false);
        } catch (RuntimeException e) {
            log.error("flusher: flush round failed", e);
        }
    }

    /**
     * Copies dirty chunks to a durable tier: all of them ({@code all}) or those dirty for at least half the flush
     * interval. Writes to a chunk during its copy leave it dirty for the next round. Returns chunks made clean.
     */
    public int flushDirty(boolean all) {
        long now = monoMillis();
        int flushed = 0;
        int copied = 0;
        for (Chunk c : dirty.toArray(new Chunk[0])) {
            if (closed) {
                break;
            }
            FileRef copy;
            long version;
            c.lock.readLock().lock();
            try {
                if (c.removed || !c.dirty || c.tier == Chunk.NONE || tiers.get(c.tier).durable()) {
                    dirty.remove(c);
                    continue;
                }
                if (!all && now - c.dirtySinceMillis < flushAgeMillis) {
                    continue;
                }
                version = c.version;
                copy = writeDurableCopy(c);
            } catch (IOException e) {
                log.error("flusher: copying {} to a durable tier failed; will retry", c, e);
                continue;
            } finally {
                c.lock.readLock().unlock();
            }
            if (copy == null) {
                log.warn("flusher: no durable tier has room for {} ({} bytes); it stays dirty", c, c.length);
                continue;
            }
            copied++;
            c.lock.writeLock().lock();
            try {
                installDurableCopy(c, copy, version);
                if (!c.dirty) {
                    flushed++;
                }
            } finally {
                c.lock.writeLock().unlock();
            }
        }
        if (copied > 0 || !deferredFrees.isEmpty()) {
            commitDurablyAndFree(List.of());
        }
        return flushed;
    }

    /** Makes new files and the layout durable, then deletes files that switches have freed (and {@code more}). */
    private void commitDurablyAndFree(List<FileRef> more) {
        List<FileRef> free = new ArrayList<>(more);
        FileRef r;
        while ((r = deferredFrees.poll()) != null) {
            free.add(r);
        }
        for (TierStore t : tiers) {
            t.syncDirs();
        }
        layout.commitDurably();
        for (FileRef f : free) {
            tiers.get(f.tier()).delete(f.ino(), f.index(), f.gen());
            tiers.get(f.tier()).release(f.ino(), f.index(), f.length());
        }
    }

    @Override
    public void delete(long ino) {
        newDataTier.remove(ino);
        for (TierStore t : tiers) {
            t.space().forget(ino);
        }
        layout.removePath(ino);
        FileLayout f = layouts.remove(ino);
        if (f == null) {
            return;
        }
        f.deleted = true;
        for (Chunk c : f.chunks.values()) {
            c.lock.writeLock().lock();
            try {
                if (!c.removed) {
                    removeChunk(f, c);
                }
            } finally {
                c.lock.writeLock().unlock();
            }
        }
    }

    @Override
    public List<ChunkPlacement> where(long ino) {
        FileLayout f = layouts.get(ino);
        if (f == null) {
            return List.of();
        }
        List<ChunkPlacement> out = new ArrayList<>();
        for (Chunk c : f.chunks.values()) {
            c.lock.readLock().lock();
            try {
                if (c.removed || c.tier == Chunk.NONE) {
                    continue;
                }
                TierStore t = tiers.get(c.tier);
                String durableTier = c.hasDurableCopy() ? tiers.get(c.durableTier).name() : t.durable() ? t.name() : null;
                out.add(new ChunkPlacement(c.index, t.name(), t.nodeOf(c.ino, c.index, node), c.gen, c.length, c.dirty, durableTier));
            } finally {
                c.lock.readLock().unlock();
            }
        }
        return out;
    }

    @Override
    public List<TierUsage> usage() {
        long[] chunks = new long[tiers.size()];
        long[] files = new long[tiers.size()];
        boolean[] seen = new boolean[tiers.size()];
        for (FileLayout f : layouts.values()) {
            java.util.Arrays.fill(seen, false);
            for (Chunk c : f.chunks.values()) {
                int p = c.tier;
                int d = c.durableTier;
                if (p >= 0) {
                    chunks[p]++;
                    seen[p] = true;
                }
                if (d >= 0) {
                    chunks[d]++;
                    seen[d] = true;
                }
            }
            for (int i = 0; i < seen.length; i++) {
                if (seen[i]) {
                    files[i]++;
                }
            }
        }
        List<TierUsage> out = new ArrayList<>();
        for (TierStore t : tiers) {
            TierSpec s = t.spec();
            out.add(new TierUsage(s.name(), s.kind().name(), t.space().describe(), t.capacity(), t.used(),
                    chunks[t.index()], files[t.index()], s.highWatermark(), s.lowWatermark()));
        }
        return out;
    }

    @Override
    public MoverStatus moverStatus() {
        return MoverStatus.IDLE;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (flusher != null) {
            // No interrupt: an interrupted thread closes the FileChannel it is using (chunk files, the layout file).
            flusher.shutdown();
            try {
                if (!flusher.awaitTermination(30, TimeUnit.SECONDS)) {
                    log.warn("flusher did not stop within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // A clean shutdown is a sync: nothing stays only on a volatile tier (it would not survive a reboot).
        try {
            int made = flushDirty(true);
            if (made > 0) {
                log.info("close: flushed {} dirty chunks to a durable tier", made);
            }
        } catch (RuntimeException e) {
            log.error("close: final flush failed; dirty chunks stay on the volatile tier only", e);
        }
        closed = true;
        for (FileLayout f : layouts.values()) {
            for (Chunk c : f.chunks.values()) {
                c.lock.writeLock().lock();
                try {
                    channels.close(c);
                } finally {
                    c.lock.writeLock().unlock();
                }
            }
        }
        commitDurablyAndFree(List.of());
        layout.close();
    }

    // ------------------------------------------------------------------ for the mover

    /** The tiers, fastest first. */
    public List<TierStore> tiers() {
        return tiers;
    }

    public long chunkSize() {
        return chunkSize;
    }

    /** Index of the tier called {@code name}. */
    public int tierIndex(String name) {
        for (TierStore t : tiers) {
            if (t.name().equals(name)) {
                return t.index();
            }
        }
        throw FsException.of(Errno.EINVAL, "unknown tier '%s'", name);
    }

    /** Every inode with bytes (primary or durable copies) on {@code tier}, with its last access time. */
    public List<FileTierStat> filesOn(int tier) {
        List<FileTierStat> out = new ArrayList<>();
        for (FileLayout f : layouts.values()) {
            long bytes = 0;
            for (Chunk c : f.chunks.values()) {
                c.lock.readLock().lock();
                try {
                    if (c.removed) {
                        continue;
                    }
                    if (c.tier == tier) {
                        bytes += c.length;
                    }
                    if (c.durableTier == tier) {
                        bytes += c.durableLength;
                    }
                } finally {
                    c.lock.readLock().unlock();
                }
            }
            if (bytes > 0) {
                out.add(new FileTierStat(f.ino, bytes, f.lastAccessMillis));
            }
        }
        return out;
    }

    /** Chunk indexes of {@code ino} that have a copy (primary or durable) on {@code tier}. */
    public List<Integer> chunksOn(long ino, int tier) {
        FileLayout f = layouts.get(ino);
        if (f == null) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        for (Chunk c : f.chunks.values()) {
            c.lock.readLock().lock();
            try {
                if (!c.removed && (c.tier == tier || c.durableTier == tier)) {
                    out.add(c.index);
                }
            } finally {
                c.lock.readLock().unlock();
            }
        }
        return out;
    }

    /** Last access (read or write) of {@code ino} by the injected clock; empty if the store has no data for it. */
    public Optional<Long> lastAccess(long ino) {
        FileLayout f = layouts.get(ino);
        return f == null ? Optional.empty() : Optional.of(f.lastAccessMillis);
    }

    /**
     * Starts moving the copy of chunk {@code index} of {@code ino} that lies on {@code fromTier} down to
     * {@code toTier} (or the first slower tier with room; a durable copy only to a durable tier). Persists the
     * move's intent and reserves the target's capacity. Empty if there is nothing to move or no room.
     * A {@code toTier} faster than {@code fromTier} is a promotion: only the primary copy goes up, to
     * {@code toTier} or the first tier below it with room (still faster than the source); a promotion from a durable
     * to a volatile tier keeps the source as the chunk's durable copy (see {@link #switchMove}).
     */
    public Optional<MoveTicket> beginMove(long ino, int index, int fromTier, int toTier) {
        Chunk c = chunk(ino, index);
        if (c == null || toTier == fromTier || toTier < 0 || toTier >= tiers.size()) {
            return Optional.empty();
        }
        MoveTicket ticket;
        long seq;
        c.lock.writeLock().lock();
        try {
            if (c.removed || c.tier == Chunk.NONE || c.inMove) {
                return Optional.empty();
            }
            boolean primary = c.tier == fromTier;
            if (!primary && c.durableTier != fromTier) {
                return Optional.empty();
            }
            boolean up = toTier < fromTier;
            if (up && !primary) {
                return Optional.empty();
            }
            if (!up && primary && !tiers.get(fromTier).durable() && !c.dirty && c.hasDurableCopy()) {
                c.inMove = true;
                return Optional.of(new MoveTicket(ino, index, false, true, fromTier, c.gen, c.durableTier,
                        c.durableGen, c.length, c.version));
            }
            long len = primary ? c.length : c.durableLength;
            int target = -1;
            for (int j = toTier; j < (up ? fromTier : tiers.size()); j++) {
                TierStore t = tiers.get(j);
                if ((primary || t.durable()) && t.tryReserve(ino, index, len)) {
                    target = j;
                    break;
                }
            }
            if (target < 0) {
                return Optional.empty();
            }
            ticket = new MoveTicket(ino, index, !primary, false, fromTier, primary ? c.gen : c.durableGen,
                    target, nextGen.getAndIncrement(), len, c.version);
            layout.putIntent(ticket.intent());
            c.inMove = true;
            seq = intentCommits.changed();
        } finally {
            c.lock.writeLock().unlock();
        }
        // The intent is in the layout file before the copy starts (one commit for the moves beginning together).
        try {
            intentCommits.awaitDurable(seq);
        } catch (RuntimeException e) {
            abortMove(ticket);
            throw e;
        }
        return Optional.of(ticket);
    }

    /**
     * Copies the ticket's source to its target file, forces it and verifies the CRC32C of the target against the
     * source. Readers go on meanwhile; writers wait for the copy of this chunk. Returns the checksum.
     *
     * @throws FsException EAGAIN if the source changed place since {@link #beginMove}, EIO if the copy differs
     */
    public long copyForMove(MoveTicket t) {
        if (t.dropOnly()) {
            return 0;
        }
        Chunk c = chunk(t.ino(), t.index());
        if (c == null) {
            throw FsException.of(Errno.EAGAIN, "chunk %d#%d vanished during its move", t.ino(), t.index());
        }
        c.lock.readLock().lock();
        try {
            if (!sourceUnchanged(c, t)) {
                throw FsException.of(Errno.EAGAIN, "chunk %d#%d changed place during its move", t.ino(), t.index());
            }
            TierStore to = tiers.get(t.toTier());
            try (FileChannel dst = to.open(t.ino(), t.index(), t.toGen(), true)) {
                long crcSrc;
                if (t.durableRole()) {
                    try (FileChannel src = tiers.get(t.fromTier()).open(t.ino(), t.index(), t.fromGen(), false)) {
                        crcSrc = ChunkCopier.copy(src, dst, t.length());
                    }
                } else {
                    crcSrc = ChunkCopier.copy(channels.channel(c, tiers.get(c.tier)), dst, t.length());
                }
                if (to.durable()) {
                    dst.force(true);
                }
                long crcDst = ChunkCopier.crc(dst, t.length());
                if (crcSrc != crcDst) {
                    throw FsException.of(Errno.EIO, "chunk %d#%d: copy on tier %s has CRC32C %08x, source %08x",
                            t.ino(), t.index(), to.name(), crcDst, crcSrc);
                }
                return crcSrc;
            }
        } catch (IOException e) {
            throw io("move copy", c, e);
        } finally {
            c.lock.readLock().unlock();
        }
    }

    private boolean sourceUnchanged(Chunk c, MoveTicket t) {
        if (c.removed) {
            return false;
        }
        return t.durableRole()
                ? c.durableTier == t.fromTier() && c.durableGen == t.fromGen() && c.durableLength == t.length()
                : c.tier == t.fromTier() && c.gen == t.fromGen() && c.version == t.version();
    }

    /**
     * Switches the layout to the ticket's target in one durable (group) commit that also drops the intent, if the chunk
     * was not written (or moved, or deleted) since the ticket was issued; otherwise aborts the move (the target
     * is freed) and returns empty so the caller may retry. The source files are NOT freed yet: call
     * {@link #freeSources} (a crash between the two leaves them as orphans that recovery deletes).
     */
    public Optional<SwitchedMove> switchMove(MoveTicket t) {
        Chunk c = chunk(t.ino(), t.index());
        if (c == null) {
            abortMove(t);
            return Optional.empty();
        }
        long seq;
        SwitchedMove switched;
        c.lock.writeLock().lock();
        try {
            boolean valid = t.dropOnly()
                    ? !c.removed && c.tier == t.fromTier() && c.gen == t.fromGen() && !c.dirty
                      && c.durableTier == t.toTier() && c.durableGen == t.toGen()
                    : sourceUnchanged(c, t);
            if (!valid) {
                abortLocked(c, t);
                return Optional.empty();
            }
            List<FileRef> free = new ArrayList<>();
            if (t.dropOnly()) {
                free.add(new FileRef(c.tier, c.ino, c.index, c.gen, c.length));
                channels.close(c);
                c.tier = c.durableTier;
                c.gen = c.durableGen;
                c.length = c.durableLength;
                c.unforced = c.durableUnforced;
                c.durableTier = Chunk.NONE;
                c.durableUnforced = false;
                dirty.remove(c);
                layout.put(c.ino, c.index, LayoutRecord.of(c));
                c.inMove = false;
                return Optional.of(new SwitchedMove(t, free));
            }
            if (t.durableRole()) {
                free.add(new FileRef(c.durableTier, c.ino, c.index, c.durableGen, c.durableLength));
                c.durableTier = t.toTier();
                c.durableGen = t.toGen();
                c.durableUnforced = false;
            } else {
                boolean keepAsDurable = t.toTier() < t.fromTier() && !tiers.get(t.toTier()).durable()
                        && tiers.get(t.fromTier()).durable() && !c.hasDurableCopy();
                if (keepAsDurable) {
                    // promoted to a volatile tier: the durable source stays as the chunk's durable copy
                    c.durableTier = c.tier;
                    c.durableGen = c.gen;
                    c.durableLength = c.length;
                    c.durableUnforced = c.unforced;
                } else {
                    free.add(new FileRef(c.tier, c.ino, c.index, c.gen, c.length));
                }
                channels.close(c);
                c.tier = t.toTier();
                c.gen = t.toGen();
                c.unforced = false;
                if (tiers.get(c.tier).durable()) {
                    if (c.hasDurableCopy()) {
                        free.add(new FileRef(c.durableTier, c.ino, c.index, c.durableGen, c.durableLength));
                    }
                    c.durableTier = Chunk.NONE;
                    c.durableUnforced = false;
                    c.dirty = false;
                    dirty.remove(c);
                }
            }
            layout.put(c.ino, c.index, LayoutRecord.of(c));
            layout.removeIntent(t.intent());
            c.inMove = false;
            seq = moveCommits.changed();
            switched = new SwitchedMove(t, free);
        } finally {
            c.lock.writeLock().unlock();
        }
        // Durable before the caller frees the source: a crash until then recovers to the source (intent kept).
        moveCommits.awaitDurable(seq);
        return Optional.of(switched);
    }

    /** Deletes the files a switched move left behind and gives their bytes back to their tiers. */
    public void freeSources(SwitchedMove s) {
        for (FileRef f : s.toFree()) {
            tiers.get(f.tier()).delete(f.ino(), f.index(), f.gen());
            tiers.get(f.tier()).release(f.ino(), f.index(), f.length());
        }
    }

    /** Gives up a move: deletes its target, returns the reservation, drops the intent. */
    public void abortMove(MoveTicket t) {
        Chunk c = chunk(t.ino(), t.index());
        if (c == null) {
            abortFiles(t);
            return;
        }
        c.lock.writeLock().lock();
        try {
            abortLocked(c, t);
        } finally {
            c.lock.writeLock().unlock();
        }
    }

    private void abortLocked(Chunk c, MoveTicket t) {
        c.inMove = false;
        abortFiles(t);
    }

    private void abortFiles(MoveTicket t) {
        if (t.dropOnly()) {
            return;
        }
        tiers.get(t.toTier()).delete(t.ino(), t.index(), t.toGen());
        tiers.get(t.toTier()).release(t.ino(), t.index(), t.length());
        layout.removeIntent(t.intent());
        layout.commit();
    }

    // ------------------------------------------------------------------ helpers

    private Chunk chunk(long ino, int index) {
        FileLayout f = layouts.get(ino);
        return f == null ? null : f.chunks.get(index);
    }

    private int index(long offset) {
        return (int) (offset >>> chunkShift);
    }

    private void checkRange(long ino, long offset, int n) {
        if (offset < 0 || offset + n < 0 || ((offset + n - 1) >>> chunkShift) > Integer.MAX_VALUE) {
            throw FsException.of(Errno.EFBIG, "range %d+%d of inode %d is beyond the largest file", offset, n, ino);
        }
    }

    private static long monoMillis() {
        return System.nanoTime() / 1_000_000;
    }

    private static FsException io(String op, Chunk c, IOException e) {
        return new FsException(Errno.EIO, op + " of " + c + " failed: " + e, e);
    }

    /** Dirty bytes whose primary lies on {@code tier}, per node holding them (lent memory: per lender). */
    public Map<String, Long> dirtyBytesByNode(int tier) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Chunk c : dirty.toArray(new Chunk[0])) {
            c.lock.readLock().lock();
            try {
                if (c.dirty && !c.removed && c.tier == tier) {
                    out.merge(tiers.get(tier).nodeOf(c.ino, c.index, node), c.length, Long::sum);
                }
            } finally {
                c.lock.readLock().unlock();
            }
        }
        return out;
    }

    /** Dirty chunks right now (status and tests). */
    public int dirtyChunks() {
        return dirty.size();
    }

    /** Open chunk files right now (status and tests). */
    int openChannels() {
        return channels.openCount();
    }

    Collection<FileLayout> layouts() {
        return layouts.values();
    }
}
