package io.tierfs.node.data;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.net.ClaimAsk;

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
 * Which member holds which claim unit (a power-of-two part of a chunk, 1 MiB by default) of the files homed on this
 * member: a unit is held by the member that first writes it (so processes on several members that write their own
 * parts of one shared file, as MPI-IO and IOR do, write into their own member's tiers, also when their 1 MiB
 * transfers interleave inside the engines' 4 MiB chunks), and this member, the file's data home, is the one place
 * that decides. A holder keeps its units in its own engine's chunk files, which then hold data only in its units.
 * Invariants:
 * <ul>
 * <li>a unit has at most one holder, and a claim answered once is answered the same for the life of the file (never
 *     moved, never released before the file is deleted), so members keep the answers they got;</li>
 * <li>a unit without a claim is this member's (every file's data was here before claims existed); it is never
 *     given to another member while this member may hold data in it, or writes into it: a local write holds its
 *     inode's stripe read lock, a claim the write lock. "May hold" is known per chunk for what was written before
 *     the file's first claim since this member started (the chunks its store holds then), per unit after: local
 *     writes then note their units ({@link #wrote});</li>
 * <li>claims are recorded in the {@link ClaimLog} before they are answered; {@link #force} makes them durable.</li>
 * </ul>
 * Thread-safe.
 */
final class ChunkClaims implements AutoCloseable {
    private static final int STRIPES = 128;

    private final String self;
    private final LongFunction<List<ChunkPlacement>> localChunks;
    /** Explicit claims, by inode then unit index; also this member's own claims, once another member asked. */
    private final ConcurrentHashMap<Long, Map<Long, String>> claims = new ConcurrentHashMap<>();
    /** The other members named in {@link #claims}, by inode (no entry: none). */
    private final ConcurrentHashMap<Long, Set<String>> others = new ConcurrentHashMap<>();
    /** What this member may hold of the files asked about since it started (see the class comment). */
    private final ConcurrentHashMap<Long, Held> held = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock[] stripes = new ReentrantReadWriteLock[STRIPES];
    private final ClaimLog log;
    private final long unit;
    /** log2 of the units per chunk. */
    private final int unitsPerChunkShift;

    /**
     * The chunks the store held when the file was first asked about, and the units written here since (a bit per
     * unit: 128 KiB for a terabyte file at 1 MiB units; units past 2^31, petabytes in, in a set).
     */
    private record Held(Set<Long> chunksThen, java.util.BitSet unitsSince, Set<Long> farUnitsSince) {
        void wrote(long u) {
            if (u <= Integer.MAX_VALUE) {
                synchronized (unitsSince) {
                    unitsSince.set((int) u);
                }
            } else {
                farUnitsSince.add(u);
            }
        }

        boolean mayHold(long u, int unitsPerChunkShift) {
            if (chunksThen.contains(u >> unitsPerChunkShift)) {
                return true;
            }
            if (u <= Integer.MAX_VALUE) {
                synchronized (unitsSince) {
                    return unitsSince.get((int) u);
                }
            }
            return farUnitsSince.contains(u);
        }
    }

    /**
     * @param dir         where the claim log lives (the member's state directory)
     * @param self        this member's data-home id
     * @param localChunks the chunks this member's store holds of an inode
     * @param unit        the claim unit in bytes: a power of two, at most {@code chunkSize}
     * @param chunkSize   the engine's chunk size (a power of two)
     */
    ChunkClaims(Path dir, String self, LongFunction<List<ChunkPlacement>> localChunks, long unit, long chunkSize) {
        if (unit <= 0 || Long.bitCount(unit) != 1 || Long.bitCount(chunkSize) != 1 || unit > chunkSize) {
            throw new IllegalArgumentException("the claim unit must be a power of two of at most the chunk size "
                    + chunkSize + ", not " + unit);
        }
        this.self = self;
        this.localChunks = localChunks;
        this.unit = unit;
        this.unitsPerChunkShift = Long.numberOfTrailingZeros(chunkSize) - Long.numberOfTrailingZeros(unit);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantReadWriteLock();
        }
        Map<Long, Map<Long, String>> loaded = new HashMap<>();
        this.log = ClaimLog.open(dir, unit, chunkSize, loaded);
        loaded.forEach((ino, m) -> {
            claims.put(ino, new ConcurrentHashMap<>(m));
            m.values().forEach(owner -> noteOwner(ino, owner));
        });
    }

    private ReentrantReadWriteLock stripe(long ino) {
        return stripes[Math.floorMod(Long.hashCode(ino * 0x9E3779B97F4A7C15L), STRIPES)];
    }

    /** The claim unit in bytes. */
    long unit() {
        return unit;
    }

    /** Held while this member writes units of {@code ino} it holds: no claim of the inode is decided meanwhile. */
    Lock localWrite(long ino) {
        return stripe(ino).readLock();
    }

    /** Notes that this member wrote into unit {@code u} of {@code ino}; called under {@link #localWrite}. */
    void wrote(long ino, long u) {
        Held h = held.get(ino);
        if (h != null) {
            h.wrote(u);
        }
    }

    /** The other member that holds unit {@code u} of {@code ino}, or null when it is this member's. */
    String elsewhere(long ino, long u) {
        Map<Long, String> m = claims.get(ino);
        if (m == null) {
            return null;
        }
        String owner = m.get(u);
        return owner == null || owner.equals(self) ? null : owner;
    }

    /** Whether another member holds any unit of {@code ino}. */
    boolean anyElsewhere(long ino) {
        return others.containsKey(ino);
    }

    /** The other members that hold units of {@code ino}. */
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
     * The holders of the units of {@code ino} that {@code ask} names, claiming each unclaimed unit this member may
     * hold no data in for the asker; a unit this member may hold data in is claimed for this member (so the answer
     * is final).
     *
     * @throws FsException EINVAL when the asker's claim unit is not this member's
     */
    List<String> claim(long ino, ClaimAsk ask) {
        if (ask.unit() != unit) {
            throw new FsException(Errno.EINVAL, "member " + ask.member() + " claims units of " + ask.unit()
                    + " bytes, this data home " + self + " deals in units of " + unit + ": tierfs.dataplane.claim-unit"
                    + " (and tierfs.chunk-size) must be the same on every member");
        }
        String member = ask.member();
        int count = ask.count();
        Lock w = stripe(ino).writeLock();
        w.lock();
        try {
            Map<Long, String> m = claims.computeIfAbsent(ino, k -> new ConcurrentHashMap<>());
            Held h = held.computeIfAbsent(ino, this::heldNow);
            List<String> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long u = ask.unitAt(i);
                String owner = m.get(u);
                if (owner == null) {
                    owner = h.mayHold(u, unitsPerChunkShift) ? self : member;
                    synchronized (log) {
                        log.claimed(ino, u, owner);
                    }
                    m.put(u, owner);
                    noteOwner(ino, owner);
                }
                out.add(owner);
            }
            return out;
        } finally {
            w.unlock();
        }
    }

    /** Under the write lock: what the store holds of {@code ino} now; writes from now on note their units. */
    private Held heldNow(long ino) {
        Set<Long> chunks = new HashSet<>();
        for (ChunkPlacement p : localChunks.apply(ino)) {
            chunks.add((long) p.index());
        }
        return new Held(chunks, new java.util.BitSet(), ConcurrentHashMap.newKeySet());
    }

    /** Every claim of {@code ino} ends (its data was freed on every holder); recorded before it is forgotten. */
    void forget(long ino) {
        Lock w = stripe(ino).writeLock();
        w.lock();
        try {
            others.remove(ino);
            held.remove(ino);
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
