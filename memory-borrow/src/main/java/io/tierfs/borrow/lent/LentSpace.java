package io.tierfs.borrow.lent;

import io.tierfs.tier.engine.ChunkFileName;
import io.tierfs.tier.engine.ChunkSpace;
import io.tierfs.tier.net.ChunkClient;
import io.tierfs.tier.net.ChunkKey;
import io.tierfs.tier.net.DataPlaneException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The DRAM tier of a node that borrows memory: chunk copies live in memory other nodes lend (their
 * {@code ChunkServer}s), reached directly over the data plane. New chunks go only where a lease has room, striped
 * over the lenders by chunk index; with {@code replicas = 1} (or for the files a policy rule marks
 * {@code dramReplica}, see {@link #keepReplicas}) a second copy of every chunk goes to another lender, so that dirty
 * data survives one lender crash.
 * <p>
 * Capacity is the sum of the active leases (never more than the tier's configured capacity): a lender that is
 * recalled or gone stops counting, so the engine places new data elsewhere and the mover sees the tier as full.
 * The borrower's control plane calls {@link #leaseGranted}, {@link #drain}, {@link #lenderDown} and
 * {@link #removeLender}; the evacuation of a recalled lender uses {@link #chunksOn}, {@link #promoteReplica} and
 * {@link #dropReplica}.
 * <p>
 * After a restart the space knows no lender, so a borrower's chunks in lent memory count as lost (the engine's
 * recovery falls back to their durable copies, as after a reboot of a node with local DRAM); the first contact with
 * each lender collects what a previous run left there.
 */
public final class LentSpace implements ChunkSpace {
    private static final Logger log = LoggerFactory.getLogger(LentSpace.class);

    private final String owner;
    private final long maxBytes;
    private final ChunkClient client;
    private final int replicas;
    private final Map<String, LenderSlot> lenders = new ConcurrentHashMap<>();
    private final Map<ChunkId, Placement> placements = new ConcurrentHashMap<>();
    private final Set<Long> replicated = ConcurrentHashMap.newKeySet();

    /**
     * @param owner    this node's name: the owner of our chunks on the lenders
     * @param maxBytes the most this node borrows (the DRAM tier's configured capacity)
     * @param replicas 0, or 1 for a second copy on another lender
     */
    public LentSpace(String owner, long maxBytes, ChunkClient client, int replicas) {
        if (replicas < 0 || replicas > 1) {
            throw new IllegalArgumentException("replicas must be 0 or 1, got " + replicas);
        }
        this.owner = owner;
        this.maxBytes = maxBytes;
        this.client = client;
        this.replicas = replicas;
    }

    public String owner() {
        return owner;
    }

    ChunkClient client() {
        return client;
    }

    @Override
    public void keepReplicas(long ino) {
        replicated.add(ino);
    }

    @Override
    public void forget(long ino) {
        replicated.remove(ino);
    }

    // ------------------------------------------------------------------ the control plane

    /**
     * A lender lends us {@code bytes} (a new lease, a grown one, or the same again after it restarted) at
     * {@code address}. On first contact, copies a previous run of this node left there are deleted.
     */
    public void leaseGranted(String lender, InetSocketAddress address, long bytes) {
        LenderSlot s = lenders.compute(lender, (k, old) -> {
            if (old == null) {
                return new LenderSlot(k, address, bytes);
            }
            old.address = address;
            old.leaseBytes = bytes;
            old.state = SlotState.ACTIVE;
            return old;
        });
        if (!s.reconciled) {
            reconcile(s);
        }
    }

    /** Stops placing data on {@code lender} (a recall started); its lease stops counting as capacity. */
    public void drain(String lender) {
        LenderSlot s = lenders.get(lender);
        if (s != null && s.state == SlotState.ACTIVE) {
            s.state = SlotState.DRAINING;
        }
    }

    /** {@code lender} is unreachable: nothing goes there, clean chunks there are read from their durable copies. */
    public void lenderDown(String lender) {
        LenderSlot s = lenders.get(lender);
        if (s != null && s.state != SlotState.DOWN) {
            log.warn("lender {} is unreachable: placing nothing there; clean chunks fall back to durable copies", lender);
            s.state = SlotState.DOWN;
            s.reconciled = false;
        }
    }

    /**
     * Checks a lender marked down on the data plane: if it answers again, it takes data again (and stale copies
     * there are collected). True if it is reachable.
     */
    public boolean probe(String lender) {
        LenderSlot s = lenders.get(lender);
        if (s == null) {
            return false;
        }
        try {
            client.ping(s.address);
        } catch (DataPlaneException e) {
            return false;
        }
        if (s.state == SlotState.DOWN) {
            s.state = SlotState.ACTIVE;
            log.info("lender {} answers again", lender);
        }
        if (!s.reconciled) {
            reconcile(s);
        }
        return true;
    }

    /** Forgets {@code lender} once nothing of ours lies there (its lease was released). */
    public boolean removeLender(String lender) {
        if (!chunksOn(lender).isEmpty()) {
            return false;
        }
        lenders.remove(lender);
        return true;
    }

    /** The chunks with a copy (primary or replica) on {@code lender}. */
    public List<ChunkId> chunksOn(String lender) {
        List<ChunkId> out = new ArrayList<>();
        placements.forEach((id, p) -> {
            if (p.on(lender)) {
                out.add(id);
            }
        });
        return out;
    }

    /** The lender holding the primary copy of {@code id}, if placed. */
    public Optional<String> primaryOf(ChunkId id) {
        Placement p = placements.get(id);
        return p == null ? Optional.empty() : Optional.ofNullable(p.primary());
    }

    /** False if {@code lender} is unknown or marked down (crashed, unreachable): its copies cannot be read. */
    public boolean readable(String lender) {
        LenderSlot s = lenders.get(lender);
        return s != null && s.state != SlotState.DOWN;
    }

    /** The lender holding the replica of {@code id}, if any. */
    public Optional<String> replicaOf(ChunkId id) {
        Placement p = placements.get(id);
        return p == null ? Optional.empty() : Optional.ofNullable(p.replica());
    }

    /** Bytes of {@code id} on each of its lenders. */
    public long bytesOf(ChunkId id) {
        Placement p = placements.get(id);
        if (p == null) {
            return 0;
        }
        synchronized (p) {
            return p.bytes;
        }
    }

    /**
     * The replica of {@code id} becomes its primary and the copy on the old primary is deleted (best effort): no data
     * moves. False if the chunk has no replica.
     */
    public boolean promoteReplica(ChunkId id) {
        return detachReplica(id, true);
    }

    /** Deletes the replica of {@code id} (it is on a lender being recalled). False if there is none. */
    public boolean dropReplica(ChunkId id) {
        return detachReplica(id, false);
    }

    /**
     * Leaves {@code id} with one copy: the replica's ({@code promote}) or the primary's. The other copy's bytes go
     * back to its lender's lease and the copy is deleted (best effort).
     */
    private boolean detachReplica(ChunkId id, boolean promote) {
        Placement p = placements.get(id);
        if (p == null) {
            return false;
        }
        String gone;
        long gen;
        synchronized (p) {
            if (p.replica == null || p.deleted) {
                return false;
            }
            gone = promote ? p.primary : p.replica;
            if (promote) {
                p.primary = p.replica;
            }
            p.replica = null;
            gen = p.gen;
            slot(gone).ifPresent(s -> s.give(p.bytes));
        }
        if (promote) {
            log.info("chunk {}#{}: replica on {} is the primary now (was {})", id.ino(), id.index(), p.primary(), gone);
        }
        deleteQuietly(gone, id, gen);
        return true;
    }

    /** Per lender: address, lease, used bytes and state, for status. */
    public List<LenderUse> lenders() {
        List<LenderUse> out = new ArrayList<>();
        for (LenderSlot s : lenders.values()) {
            out.add(new LenderUse(s.node, s.address, s.leaseBytes, s.used.get(), s.state));
        }
        out.sort(Comparator.comparing(LenderUse::lender));
        return out;
    }

    /** A lender as the borrower uses it. */
    public record LenderUse(String lender, InetSocketAddress address, long leaseBytes, long usedBytes,
                            SlotState state) {
    }

    // ------------------------------------------------------------------ ChunkSpace

    @Override
    public long capacity() {
        long sum = 0;
        for (LenderSlot s : lenders.values()) {
            sum += s.state == SlotState.ACTIVE ? s.leaseBytes : s.used.get();
        }
        return Math.min(maxBytes, sum);
    }

    @Override
    public boolean admit(long ino, int index, long bytes) {
        ChunkId id = new ChunkId(ino, index);
        while (true) {
            Placement p = placements.get(id);
            if (p != null) {
                synchronized (p) {
                    if (p.deleted) {
                        continue;
                    }
                    return grow(p, bytes);
                }
            }
            Placement fresh = place(id, bytes);
            if (fresh == null) {
                return false;
            }
            if (placements.putIfAbsent(id, fresh) == null) {
                return true;
            }
            giveBack(fresh, bytes);
        }
    }

    private boolean grow(Placement p, long bytes) {
        LenderSlot prim = lenders.get(p.primary);
        if (prim == null || !prim.tryTake(bytes)) {
            return false;
        }
        if (p.replica != null) {
            LenderSlot rep = lenders.get(p.replica);
            if (rep == null || !rep.tryTake(bytes)) {
                prim.give(bytes);
                return false;
            }
        }
        p.bytes += bytes;
        return true;
    }

    /** Chooses the lenders of a new chunk and takes {@code bytes} on them; null if no lender has room. */
    private Placement place(ChunkId id, long bytes) {
        List<LenderSlot> active = new ArrayList<>();
        for (LenderSlot s : lenders.values()) {
            if (s.state == SlotState.ACTIVE) {
                active.add(s);
            }
        }
        if (active.isEmpty()) {
            return null;
        }
        active.sort(Comparator.comparing(s -> s.node));
        int n = active.size();
        int start = (int) Math.floorMod(id.ino() * 31 + id.index(), (long) n);
        for (int i = 0; i < n; i++) {
            LenderSlot prim = active.get((start + i) % n);
            if (!prim.tryTake(bytes)) {
                continue;
            }
            String replica = null;
            if (replicas > 0 || replicated.contains(id.ino())) {
                for (int j = 1; j < n && replica == null; j++) {
                    LenderSlot rep = active.get((start + i + j) % n);
                    if (rep != prim && rep.tryTake(bytes)) {
                        replica = rep.node;
                    }
                }
                if (replica == null) {
                    log.debug("chunk {}#{}: no second lender has room; placed without a replica", id.ino(), id.index());
                }
            }
            Placement p = new Placement(prim.node, replica);
            p.bytes = bytes;
            return p;
        }
        return null;
    }

    private void giveBack(Placement p, long bytes) {
        slot(p.primary).ifPresent(s -> s.give(bytes));
        if (p.replica != null) {
            slot(p.replica).ifPresent(s -> s.give(bytes));
        }
    }

    @Override
    public void released(long ino, int index, long bytes) {
        Placement p = placements.get(new ChunkId(ino, index));
        if (p == null) {
            return;
        }
        synchronized (p) {
            if (p.deleted) {
                return;
            }
            long b = Math.min(bytes, p.bytes);
            p.bytes -= b;
            giveBack(p, b);
        }
    }

    @Override
    public FileChannel open(long ino, int index, long gen, boolean create) throws IOException {
        ChunkId id = new ChunkId(ino, index);
        Placement p = placements.get(id);
        if (p == null) {
            throw new IOException("chunk " + ino + "#" + index + " is not placed on any lender of " + owner);
        }
        synchronized (p) {
            if (p.gen < 0) {
                p.gen = gen;
            } else if (p.gen != gen) {
                throw new IOException("chunk " + ino + "#" + index + ": lent copy has generation " + p.gen
                        + ", asked for " + gen);
            }
        }
        return new LentChunkChannel(this, id, gen);
    }

    @Override
    public void delete(long ino, int index, long gen) {
        ChunkId id = new ChunkId(ino, index);
        Placement p = placements.get(id);
        if (p == null) {
            return;
        }
        String prim;
        String rep;
        synchronized (p) {
            if (p.deleted || (p.gen >= 0 && p.gen != gen)) {
                return;
            }
            p.deleted = true;
            giveBack(p, p.bytes);
            p.bytes = 0;
            prim = p.primary;
            rep = p.replica;
            placements.remove(id, p);
        }
        deleteQuietly(prim, id, gen);
        if (rep != null) {
            deleteQuietly(rep, id, gen);
        }
    }

    /**
     * Deletes a copy on a lender; an unreachable lender keeps it until the next first contact collects it
     * ({@link #reconcile}).
     */
    private void deleteQuietly(String lender, ChunkId id, long gen) {
        Optional<LenderSlot> s = slot(lender);
        if (s.isEmpty() || s.get().state == SlotState.DOWN) {
            return;
        }
        try {
            client.delete(s.get().address, key(id, gen));
        } catch (DataPlaneException e) {
            log.info("delete of chunk {}#{} gen {} on lender {} failed ({}); collected at the next contact",
                    id.ino(), id.index(), gen, lender, e.getMessage());
            s.get().reconciled = false;
        }
    }

    /** Deletes the copies on {@code s} that no placement of ours names (left by a previous run or a failed delete). */
    private void reconcile(LenderSlot s) {
        try {
            Map<ChunkKey, Long> there = client.list(s.address, owner);
            int stale = 0;
            for (ChunkKey k : there.keySet()) {
                Placement p = placements.get(new ChunkId(k.ino(), k.chunk()));
                boolean ours = p != null && p.on(s.node) && p.gen == k.gen();
                if (!ours) {
                    client.delete(s.address, k);
                    stale++;
                }
            }
            s.reconciled = true;
            if (stale > 0) {
                log.info("lender {}: collected {} stale chunk copies of {}", s.node, stale, owner);
            }
        } catch (DataPlaneException e) {
            log.warn("lender {}: cannot list our chunks there yet ({}); will retry", s.node, e.getMessage());
        }
    }

    @Override
    public void scan(BiConsumer<ChunkFileName, Long> sink) {
        // Nothing is known at start-up: lenders are found later (see class comment).
    }

    @Override
    public String nodeOf(long ino, int index) {
        Placement p = placements.get(new ChunkId(ino, index));
        return p == null ? null : p.primary();
    }

    @Override
    public boolean reachable(long ino, int index) {
        Placement p = placements.get(new ChunkId(ino, index));
        if (p == null) {
            return true;
        }
        LenderSlot s = lenders.get(p.primary());
        return s != null && s.state != SlotState.DOWN;
    }

    @Override
    public String describe() {
        return "lent memory on " + lenders.size() + " lender(s)";
    }

    // ------------------------------------------------------------------ for LentChunkChannel

    Optional<LenderSlot> slot(String lender) {
        return lender == null ? Optional.empty() : Optional.ofNullable(lenders.get(lender));
    }

    Placement placement(ChunkId id) {
        return placements.get(id);
    }

    ChunkKey key(ChunkId id, long gen) {
        return new ChunkKey(owner, id.ino(), id.index(), gen);
    }

    /** The data plane could not reach {@code lender}: mark it down (the control plane confirms or revives it). */
    void unreachable(String lender, DataPlaneException e) {
        log.warn("lender {}: {}", lender, e.getMessage());
        lenderDown(lender);
    }
}
