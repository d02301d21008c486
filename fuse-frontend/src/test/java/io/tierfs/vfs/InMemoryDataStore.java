package io.tierfs.vfs;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.DataStore;
import io.tierfs.tier.MoverStatus;
import io.tierfs.tier.TierUsage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A heap-only {@link DataStore} with one volatile tier: for tests of the VFS and the FUSE adapter, and for a
 * demo mount without tiers. Chunks are allocated on first write, so holes cost nothing and read as zeros;
 * capacity is enforced in whole chunks (ENOSPC).
 */
public final class InMemoryDataStore implements DataStore {
    private final int chunkSize;
    private final long capacity;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong readCalls = new AtomicLong();
    private final Map<Long, String> pathHints = new ConcurrentHashMap<>();
    private final Map<Long, ConcurrentSkipListMap<Long, byte[]>> files = new ConcurrentHashMap<>();
    /** The end of the data written (or truncated to) per inode, for appends. */
    private final Map<Long, Long> ends = new ConcurrentHashMap<>();
    private final io.tierfs.tier.AppendOrder appends = new io.tierfs.tier.AppendOrder();

    public InMemoryDataStore(int chunkSize, long capacityBytes) {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
        }
        this.chunkSize = chunkSize;
        this.capacity = capacityBytes;
    }

    @Override
    public void pathSeen(long ino, String path) {
        pathHints.put(ino, path);
    }

    @Override
    public java.util.Optional<String> pathHint(long ino) {
        return java.util.Optional.ofNullable(pathHints.get(ino));
    }

    /** How many reads reached this store (tests: what the kernel's page cache did not answer). */
    public long readCalls() {
        return readCalls.get();
    }

    /** 1 MiB chunks, {@code capacityBytes} in all. */
    public InMemoryDataStore(long capacityBytes) {
        this(1 << 20, capacityBytes);
    }

    @Override
    public int read(long ino, long offset, ByteBuffer dst) {
        readCalls.incrementAndGet();
        ConcurrentSkipListMap<Long, byte[]> chunks = files.get(ino);
        int total = 0;
        while (dst.hasRemaining()) {
            long pos = offset + total;
            long idx = pos / chunkSize;
            int in = (int) (pos % chunkSize);
            int n = Math.min(dst.remaining(), chunkSize - in);
            byte[] c = chunks == null ? null : chunks.get(idx);
            if (c == null) {
                for (int i = 0; i < n; i++) {
                    dst.put((byte) 0);
                }
            } else {
                dst.put(c, in, n);
            }
            total += n;
        }
        return total;
    }

    @Override
    public void write(long ino, long offset, ByteBuffer src) {
        ConcurrentSkipListMap<Long, byte[]> chunks = files.computeIfAbsent(ino, k -> new ConcurrentSkipListMap<>());
        long pos = offset;
        long needed = 0;
        for (long p = offset; p < offset + src.remaining(); p = (p / chunkSize + 1) * chunkSize) {
            if (!chunks.containsKey(p / chunkSize)) {
                needed += chunkSize;
            }
        }
        if (needed > 0 && used.get() + needed > capacity) {
            throw DataStore.noSpace(ino);
        }
        while (src.hasRemaining()) {
            long idx = pos / chunkSize;
            int in = (int) (pos % chunkSize);
            int n = Math.min(src.remaining(), chunkSize - in);
            byte[] c = chunks.computeIfAbsent(idx, k -> {
                used.addAndGet(chunkSize);
                return new byte[chunkSize];
            });
            src.get(c, in, n);
            pos += n;
        }
        long end = pos;
        if (end > offset) {
            ends.merge(ino, end, Math::max);
        }
    }

    @Override
    public long append(long ino, long knownEnd, ByteBuffer src) {
        return appends.append(ino, knownEnd, src, i -> ends.getOrDefault(i, 0L), this::write);
    }

    @Override
    public void truncate(long ino, long size) {
        if (size < 0) {
            throw FsException.of(Errno.EINVAL, "negative size %d", size);
        }
        ends.computeIfPresent(ino, (i, e) -> Math.min(e, size));
        ConcurrentSkipListMap<Long, byte[]> chunks = files.get(ino);
        if (chunks == null) {
            return;
        }
        long keep = (size + chunkSize - 1) / chunkSize; // chunks [0, keep) stay
        for (Long idx : new ArrayList<>(chunks.tailMap(keep).keySet())) {
            if (chunks.remove(idx) != null) {
                used.addAndGet(-chunkSize);
            }
        }
        int in = (int) (size % chunkSize);
        if (in != 0) {
            byte[] c = chunks.get(size / chunkSize);
            if (c != null) {
                java.util.Arrays.fill(c, in, chunkSize, (byte) 0);
            }
        }
    }

    @Override
    public void fsync(long ino) {
        // heap only: nothing is ever more durable than now
    }

    @Override
    public void delete(long ino) {
        ends.remove(ino);
        ConcurrentSkipListMap<Long, byte[]> chunks = files.remove(ino);
        if (chunks != null) {
            used.addAndGet(-(long) chunkSize * chunks.size());
        }
    }

    @Override
    public List<ChunkPlacement> where(long ino) {
        ConcurrentSkipListMap<Long, byte[]> chunks = files.get(ino);
        List<ChunkPlacement> out = new ArrayList<>();
        if (chunks != null) {
            for (Long idx : chunks.keySet()) {
                out.add(new ChunkPlacement(idx.intValue(), "mem", "local", 1, chunkSize, true, null));
            }
        }
        return out;
    }

    /** Whether any chunk of {@code ino} is held (tests check that data is freed). */
    public boolean holds(long ino) {
        ConcurrentSkipListMap<Long, byte[]> chunks = files.get(ino);
        return chunks != null && !chunks.isEmpty();
    }

    @Override
    public List<TierUsage> usage() {
        long chunks = used.get() / chunkSize;
        return List.of(new TierUsage("mem", "DRAM", "heap", capacity, used.get(), chunks, files.size(), 0.9, 0.7));
    }

    @Override
    public MoverStatus moverStatus() {
        return MoverStatus.IDLE;
    }

    @Override
    public void close() {
        files.clear();
        ends.clear();
        used.set(0);
    }
}
