package io.tierfs.node.data;

import io.tierfs.tier.ChunkPlacement;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongFunction;

/**
 * Which member holds which chunk of the files homed on this member: a chunk is held by the member that first writes
 * it (so processes on several members that write their own parts of one shared file, as MPI-IO and IOR do, write
 * into their own member's tiers), and this member, the file's data home, is the one place that decides. Invariants:
 * <ul>
 * <li>a chunk has at most one holder, and a claim answered once is answered the same for the life of the file (never
 *     moved, never released before the file is deleted), so members keep the answers they got;</li>
 * <li>a chunk without a claim is this member's (every file's data was here before claims existed); it is never
 *     given to another member while this member holds data in it, or writes into it: a local write holds its
 *     inode's stripe read lock, a claim the write lock while it looks at the local store;</li>
 * <li>claims are recorded in the {@link ClaimLog} before they are answered; {@link #force} makes them durable.</li>
 * </ul>
 * Thread-safe.
 */
final class ChunkClaims implements AutoCloseable {
    private static final int STRIPES = 128;

    private final String self;
    private final LongFunction<List<ChunkPlacement>> localChunks;
    /** Explicit claims, by inode then chunk index; also this member's own claims, once another member asked. */
    private final ConcurrentHashMap<Long, Map<Long, String>> claims = new ConcurrentHashMap<>();
    /** The other members named in {@link #claims}, by inode (no entry: none). */
    private final ConcurrentHashMap<Long, Set<String>> others = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock[] stripes = new ReentrantReadWriteLock[STRIPES];
    private final ClaimLog log;

    /**
     * @param dir         where the claim log lives (the member's state directory)
     * @param self        this member's data-home id
     * @param localChunks the chunks this member's store holds of an inode
     */
    ChunkClaims(Path dir, String self, LongFunction<List<ChunkPlacement>> localChunks) {
        this.self = self;
        this.localChunks = localChunks;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantReadWriteLock();
        }
        Map<Long, Map<Long, String>> loaded = new HashMap<>();
        this.log = ClaimLog.open(dir, loaded);
        loaded.forEach((ino, m) -> {
            claims.put(ino, new ConcurrentHashMap<>(m));
            m.values().forEach(owner -> noteOwner(ino, owner));
        });
    }

    private ReentrantReadWriteLock stripe(long ino) {
        return stripes[Math.floorMod(Long.hashCode(ino * 0x9E3779B97F4A7C15L), STRIPES)];
    }

    /** Held while this member writes chunks of {@code ino} it holds: no claim of the inode is decided meanwhile. */
    Lock localWrite(long ino) {
        return stripe(ino).readLock();
    }

    /** The other member that holds chunk {@code chunk} of {@code ino}, or null when it is this member's. */
    String elsewhere(long ino, long chunk) {
        Map<Long, String> m = claims.get(ino);
        if (m == null) {
            return null;
        }
        String owner = m.get(chunk);
        return owner == null || owner.equals(self) ? null : owner;
    }

    /** Whether another member holds any chunk of {@code ino}. */
    boolean anyElsewhere(long ino) {
        return others.containsKey(ino);
    }

    /** The other members that hold chunks of {@code ino}. */
    Set<String> othersOf(long ino) {
        Set<String> o = others.get(ino);
        return o == null ? Set.of() : Set.copyOf(o);
    }

    private void noteOwner(long ino, String owner) {
        if (!owner.equals(self)) {
            others.computeIfAbsent(ino, k -> ConcurrentHashMap.newKeySet()).add(owner);
        }
    }

    /**
     * The holders of chunks {@code first .. first+count-1} of {@code ino}, claiming each unclaimed chunk that holds
     * no data here for {@code member}; a chunk with data here is claimed for this member (so the answer is final).
     */
    List<String> claim(long ino, long first, int count, String member) {
        Lock w = stripe(ino).writeLock();
        w.lock();
        try {
            Map<Long, String> m = claims.computeIfAbsent(ino, k -> new ConcurrentHashMap<>());
            Set<Long> here = null;
            List<String> out = new ArrayList<>(count);
            for (long c = first; c < first + count; c++) {
                String owner = m.get(c);
                if (owner == null) {
                    if (here == null) {
                        here = new HashSet<>();
                        for (ChunkPlacement p : localChunks.apply(ino)) {
                            here.add((long) p.index());
                        }
                    }
                    owner = here.contains(c) ? self : member;
                    synchronized (log) {
                        log.claimed(ino, c, owner);
                    }
                    m.put(c, owner);
                    noteOwner(ino, owner);
                }
                out.add(owner);
            }
            return out;
        } finally {
            w.unlock();
        }
    }

    /** Every claim of {@code ino} ends (its data was freed on every holder); recorded before it is forgotten. */
    void forget(long ino) {
        Lock w = stripe(ino).writeLock();
        w.lock();
        try {
            others.remove(ino);
            if (claims.remove(ino) != null) {
                synchronized (log) {
                    log.dropped(ino);
                }
            }
        } finally {
            w.unlock();
        }
    }

    /** Makes every claim answered so far durable (a file's fsync on its home). */
    void force() {
        synchronized (log) {
            log.force();
        }
    }

    @Override
    public void close() {
        synchronized (log) {
            log.close();
        }
    }
}
