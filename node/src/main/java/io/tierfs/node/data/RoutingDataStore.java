package io.tierfs.node.data;

import io.tierfs.common.FsException;
import io.tierfs.tier.AppendOrder;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.DataStore;
import io.tierfs.tier.MoverStatus;
import io.tierfs.tier.ReadSink;
import io.tierfs.tier.TierUsage;
import io.tierfs.tier.net.ChunkClient;
import io.tierfs.tier.net.ClaimAsk;
import io.tierfs.tier.net.DataPlaneException;
import io.tierfs.tier.net.FileDataRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * A cluster member's view of file data. Each file has a <em>data home</em> (the member that reserved its inode
 * number), and each claim unit of a file (1 MiB by default, a part of a chunk) is held by the member that first
 * wrote it, as decided by the home ({@link ChunkClaims}): processes on several members that write their own parts
 * of one shared file (MPI-IO, IOR's segmented and strided layouts) write into their own member's tiers, and a unit
 * nobody claimed is the home's. A member asks the home once per unit it writes (several units ahead for a writer
 * that goes on sequentially or with a stride) and keeps the answer, which is final for the life of the file
 * ({@link KnownHolders}); it reads a unit from its holder when it knows it, else from the home, which holds it or
 * reads it from its holder. Calls on a unit held here go to the local store, the others over the data plane to the
 * holder's file data service, where its engine applies them under its chunk locks. Calls on the whole file go to the home, which applies them to every holder: truncate, fsync, delete, and
 * O_APPEND (ordered at the home, at the largest data end over the holders). Nothing is cached here but remote
 * read-ahead ({@link ReadWindows}) and the holders' names.
 * <p>
 * A member that cannot be reached fails the call with the data plane's errno (EIO, ETIMEDOUT) and a message naming
 * the member and the inode; never zeros. Tier hints (created, pathSeen, accessed) of files homed elsewhere are the
 * home's business and are dropped here; {@link #where}, {@link #usage()} and {@link #moverStatus()} describe the
 * local store (each member's tier engine places and moves the chunks it holds).
 */
public final class RoutingDataStore implements DataStore {
    private static final Logger log = LoggerFactory.getLogger(RoutingDataStore.class);
    /**
     * Units claimed at once by a member that writes on from two units it holds at the same stride; the next run is
     * claimed ahead ({@link ClaimsAhead}) once at most half of one is left.
     */
    static final int CLAIM_AHEAD = 16;
    /** The largest stride (in units) at which a writer is seen to write on ({@link #strideOf}). */
    static final int MAX_STRIDE = 64;

    /** Where members serve their files' data. */
    public interface Peers {
        InetSocketAddress of(String member);

        /** The address stopped answering (the member may come back elsewhere). */
        void forget(String member);
    }

    private final DataStore local;
    private final String self;
    private final LongFunction<Optional<String>> homes;
    private final Peers peers;
    private final ChunkClient client;
    private final ChunkClaims claims;
    private final KnownHolders known = new KnownHolders();
    private final ClaimsAhead ahead = new ClaimsAhead();
    /** log2 of the claim unit. */
    private final int unitShift;
    private final AppendOrder appends = new AppendOrder();
    /** Remote writes acknowledged once queued; null: every remote write waits for its holder. */
    private final WriteBehind writeBehind;
    /** Read-ahead of remote chunks for sequential readers (64 MiB of windows at most). */
    private final ReadWindows windows = new ReadWindows(MAX_READ_WINDOWS);
    static final int MAX_READ_WINDOWS = 64;
    /** How long an fsync waits for the home (which may have gigabytes to make durable). */
    private volatile Duration fsyncTimeout = DEFAULT_FSYNC_TIMEOUT;
    public static final Duration DEFAULT_FSYNC_TIMEOUT = Duration.ofMinutes(10);

    /**
     * @param self      this member's id
     * @param homes     the data home of an inode, empty when unknown (then here)
     * @param claims    the claims of the files homed here (and the claim unit of the cluster)
     */
    public RoutingDataStore(DataStore local, String self, LongFunction<Optional<String>> homes, Peers peers,
                            ChunkClient client, ChunkClaims claims) {
        this(local, self, homes, peers, client, claims, 0, 0);
    }

    /**
     * @param writeBehindBytes bytes of remote writes queued per file before a writer waits for the holders (0: none,
     *                         each remote write is a synchronous round trip)
     * @param senders          threads sending queued writes
     */
    public RoutingDataStore(DataStore local, String self, LongFunction<Optional<String>> homes, Peers peers,
                            ChunkClient client, ChunkClaims claims, long writeBehindBytes, int senders) {
        this.local = local;
        this.self = self;
        this.homes = homes;
        this.peers = peers;
        this.client = client;
        this.claims = claims;
        this.unitShift = Long.numberOfTrailingZeros(claims.unit());
        this.writeBehind = writeBehindBytes > 0 ? new WriteBehind(this::writeRemote, senders, writeBehindBytes)
                : null;
    }

    /** The remote home of {@code ino}, or null when it is homed here. */
    private String remoteHome(long ino) {
        Optional<String> h = homes.apply(ino);
        return h.isEmpty() || h.get().equals(self) ? null : h.get();
    }

    /** Whether {@code ino} is homed here (or of unknown home: data from before homes were recorded). */
    boolean homedHere(long ino) {
        return remoteHome(ino) == null;
    }

    /** Whether every byte of {@code ino} is in the local store (homed here and no unit held elsewhere). */
    private boolean allHere(long ino, String home) {
        return home == null && !claims.anyElsewhere(ino);
    }

    private long unitOf(long pos) {
        return pos >>> unitShift;
    }

    /** Bytes from {@code pos} to the end of its claim unit. */
    private long toUnitEnd(long pos) {
        return ((unitOf(pos) + 1) << unitShift) - pos;
    }

    /** The holder of unit {@code u} for a read: known or claimed, else the home (which holds it or knows). */
    private String holderForRead(long ino, String home, long u) {
        if (home == null) {
            String o = claims.elsewhere(ino, u);
            return o == null ? self : o;
        }
        String o = known.of(ino, u);
        return o == null ? home : o;
    }

    /** The holder of unit {@code u} for a write: asks the home to claim it when it is not known yet. */
    private String holderForWrite(long ino, String home, long u) {
        if (home == null) {
            String o = claims.elsewhere(ino, u);
            return o == null ? self : o;
        }
        String o = known.of(ino, u);
        if (o != null) {
            return o;
        }
        int stride = strideOf(ino, u);
        ClaimAsk ask = stride > 0 ? new ClaimAsk(u, CLAIM_AHEAD, stride, claims.unit(), self)
                : new ClaimAsk(u, 1, 1, claims.unit(), self);
        return claim(ino, home, ask).get(0);
    }

    /** Asks the home of {@code ino} for the units {@code ask} names and keeps its answer (one holder per unit). */
    private List<String> claim(long ino, String home, ClaimAsk ask) {
        List<String> got;
        try {
            got = client.claim(peers.of(home), FileDataRepository.keyOf(ino), ask);
        } catch (FsException e) {
            throw failed(home, ino, "claim of unit " + ask.first(), e);
        }
        known.learned(ino, ask.first(), ask.stride(), got);
        return got;
    }

    /**
     * Sends the claim of the next run of units of a writer that goes on at a stride from unit {@code u} (held here)
     * while at most half a run ahead of it is still known to be held here: off the write path, so that the writer
     * does not wait for the home when it gets there. Nothing when no stride is seen or another member holds a unit
     * of the way ahead (that member writes on there).
     */
    private void claimAhead(long ino, String home, long u) {
        int s = strideOf(ino, u);
        if (s == 0) {
            return;
        }
        for (long next = u + s, last = u + (long) s * (CLAIM_AHEAD / 2 + 1); next <= last; next += s) {
            String o = known.of(ino, next);
            if (o == null) {
                ClaimAsk ask = new ClaimAsk(next, CLAIM_AHEAD, s, claims.unit(), self);
                ahead.send(ino, ask.first(), () -> claim(ino, home, ask));
                return;
            }
            if (!o.equals(self)) {
                return;
            }
        } // more than half a run ahead is held here already
    }

    /** Claims sent ahead of writers so far. */
    long claimsSentAhead() {
        return ahead.sent();
    }

    /**
     * The stride at which this member writes on into unit {@code u}: the smallest s for which it holds units
     * {@code u-s} and {@code u-2s} (a sequential writer: 1; processes placed round-robin over M members writing
     * unit-sized transfers in IOR's strided layout: M; ranks placed in blocks: the number of processes), 0 when
     * none. One unit before is not enough: a writer of stripes just over a unit long holds the one its stripe began
     * in.
     */
    private int strideOf(long ino, long u) {
        for (int s = 1; s <= MAX_STRIDE && u - 2L * s >= 0; s++) {
            if (self.equals(known.of(ino, u - s)) && self.equals(known.of(ino, u - 2L * s))) {
                return s;
            }
        }
        return 0;
    }

    @Override
    public int read(long ino, long offset, ByteBuffer dst) {
        String home = remoteHome(ino);
        if (allHere(ino, home)) {
            return local.read(ino, offset, dst);
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (dst.remaining() <= toUnitEnd(offset) && self.equals(holderForRead(ino, home, unitOf(offset)))) {
            return local.read(ino, offset, dst); // a unit of a file homed elsewhere that this member wrote
        }
        int served = windows.read(ino, offset, dst, (i, off, buf) -> readSplit(i, home, off, buf));
        return served >= 0 ? served : readSplit(ino, home, offset, dst);
    }

    @Override
    public void read(long ino, long offset, int len, ReadSink sink) {
        String home = remoteHome(ino);
        if (allHere(ino, home) || (len <= toUnitEnd(offset)
                && self.equals(holderForRead(ino, home, unitOf(offset))))) {
            local.read(ino, offset, len, sink);
        } else {
            DataStore.super.read(ino, offset, len, sink);
        }
    }

    /**
     * Reads {@code dst} unit by unit, each from its holder (after this member's queued writes to the range:
     * read-your-writes). Holes and bytes past a holder's data read as zeros up to the last unit, which counts only
     * what its holder has.
     */
    private int readSplit(long ino, String home, long offset, ByteBuffer dst) {
        int total = 0;
        while (dst.hasRemaining()) {
            long pos = offset + total;
            int n = (int) Math.min(dst.remaining(), toUnitEnd(pos));
            boolean last = n == dst.remaining();
            ByteBuffer part = dst.slice(dst.position(), n);
            String holder = holderForRead(ino, home, unitOf(pos));
            int got;
            if (holder.equals(self)) {
                got = Math.max(0, local.read(ino, pos, part.duplicate()));
            } else {
                if (writeBehind != null) {
                    writeBehind.awaitRange(ino, pos, n);
                }
                try {
                    got = Math.max(0, client.read(peers.of(holder), FileDataRepository.keyOf(ino), pos,
                            part.duplicate()));
                } catch (FsException e) {
                    throw failed(holder, ino, "read", e);
                }
            }
            if (last) {
                dst.position(dst.position() + got);
                return total + got;
            }
            for (int i = got; i < n; i++) {
                part.put(i, (byte) 0);
            }
            dst.position(dst.position() + n);
            total += n;
        }
        return total;
    }

    /**
     * Read windows of {@code ino} fetched before now may not serve later reads: this member took a lock on the file
     * (as NFS revalidates its cache at lock time), or anything else that must see the holders' current bytes.
     */
    public void revalidate(long ino) {
        windows.invalidate(ino);
    }

    @Override
    public void write(long ino, long offset, ByteBuffer src) {
        String home = remoteHome(ino);
        if (!src.hasRemaining()) {
            if (home == null) {
                local.write(ino, offset, src);
            }
            return;
        }
        boolean mixed = !allHere(ino, home);
        try {
            long pos = offset;
            while (src.hasRemaining()) {
                int n = (int) Math.min(src.remaining(), toUnitEnd(pos));
                ByteBuffer piece = src.slice(src.position(), n);
                long u = unitOf(pos);
                String holder = holderForWrite(ino, home, u);
                if (!holder.equals(self)) {
                    writeElsewhere(ino, pos, piece);
                    mixed = true;
                } else if (home != null) {
                    claimAhead(ino, home, u);
                    local.write(ino, pos, piece);
                } else if (!writeHomedHere(ino, u, pos, piece)) {
                    writeElsewhere(ino, pos, piece); // claimed by another member since it was looked up
                    mixed = true;
                }
                src.position(src.position() + n);
                pos += n;
            }
        } finally {
            if (mixed) {
                windows.invalidate(ino); // after the write is applied or queued: a fetch from now on sees it
            }
        }
    }

    /** Writes a unit of a file homed here unless another member claimed it meanwhile (then false). */
    private boolean writeHomedHere(long ino, long u, long pos, ByteBuffer piece) {
        java.util.concurrent.locks.Lock l = claims.localWrite(ino);
        l.lock();
        try {
            if (claims.elsewhere(ino, u) != null) {
                return false;
            }
            local.write(ino, pos, piece);
            claims.wrote(ino, u);
            return true;
        } finally {
            l.unlock();
        }
    }

    private void writeElsewhere(long ino, long pos, ByteBuffer piece) {
        if (writeBehind != null) {
            writeBehind.write(ino, pos, piece);
        } else {
            writeRemote(ino, pos, piece);
        }
    }

    /** A write to units held by other members (known: they were claimed), synchronous, unit by unit. */
    private void writeRemote(long ino, long offset, ByteBuffer src) {
        String home = remoteHome(ino);
        long pos = offset;
        while (src.hasRemaining()) {
            int n = (int) Math.min(src.remaining(), toUnitEnd(pos));
            ByteBuffer piece = src.slice(src.position(), n);
            String holder = holderForWrite(ino, home, unitOf(pos));
            if (holder.equals(self)) {
                local.write(ino, pos, piece); // cannot happen: claims are final, and this one was not here
            } else {
                try {
                    client.write(peers.of(holder), FileDataRepository.keyOf(ino), pos, piece);
                } catch (FsException e) {
                    throw failed(holder, ino, "write", e);
                }
            }
            src.position(src.position() + n);
            pos += n;
        }
    }

    /** Sets how long an fsync of a remote file waits for its home (default 10 min). */
    public RoutingDataStore fsyncTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("tierfs.dataplane.fsync-timeout must be positive: " + timeout);
        }
        this.fsyncTimeout = timeout;
        return this;
    }

    @Override
    public void drain(long ino) {
        if (writeBehind != null) {
            writeBehind.drain(ino);
        }
    }

    /**
     * O_APPEND: applied on the home, ordered there with every other member's appends to the file, at the largest of
     * {@code knownEnd} and the data ends of every holder of the file's chunks.
     */
    @Override
    public long append(long ino, long knownEnd, ByteBuffer src) {
        String home = remoteHome(ino);
        drain(ino); // this member's queued writes land first: the append's end must count them
        try {
            if (home == null) {
                return appends.append(ino, knownEnd, src, this::dataEndOfAllHolders, this::write);
            }
            try {
                return client.append(peers.of(home), FileDataRepository.keyOf(ino), knownEnd, src);
            } catch (FsException e) {
                throw failed(home, ino, "append", e);
            }
        } finally {
            windows.invalidate(ino);
        }
    }

    /** The end of the data of a file homed here: the largest over this member and every other holder. */
    private long dataEndOfAllHolders(long ino) {
        long end = local.dataEnd(ino);
        for (String other : claims.othersOf(ino)) {
            try {
                end = Math.max(end, client.size(peers.of(other), FileDataRepository.keyOf(ino)));
            } catch (FsException e) {
                throw failed(other, ino, "data end", e);
            }
        }
        return end;
    }

    /** The end of the data held here (on a holder: asked by the home's append). */
    @Override
    public long dataEnd(long ino) {
        return local.dataEnd(ino);
    }

    /** Applied by the home to every holder (the holders' windows: see {@link ReadWindows}). */
    @Override
    public void truncate(long ino, long size) {
        String home = remoteHome(ino);
        drain(ino);
        try {
            if (home != null) {
                try {
                    client.truncate(peers.of(home), FileDataRepository.keyOf(ino), size);
                } catch (FsException e) {
                    throw failed(home, ino, "truncate", e);
                }
                return;
            }
            local.truncate(ino, size);
            onEveryOtherHolder(ino, "truncate", at -> client.truncate(at, FileDataRepository.keyOf(ino), size));
        } finally {
            windows.invalidate(ino);
        }
    }

    /**
     * Makes every byte of the file durable on every holder: a member sends it to the home, which makes its own
     * chunks and its chunk claims durable and then asks every other holder.
     */
    @Override
    public void fsync(long ino) {
        String home = remoteHome(ino);
        drain(ino);
        if (home != null) {
            try {
                client.fsync(peers.of(home), FileDataRepository.keyOf(ino), fsyncTimeout);
            } catch (FsException e) {
                throw failed(home, ino, "fsync", e);
            }
            return;
        }
        local.fsync(ino);
        claims.force();
        onEveryOtherHolder(ino, "fsync", at -> client.fsync(at, FileDataRepository.keyOf(ino), fsyncTimeout));
    }

    /** Runs {@code call} on every other holder of chunks of a file homed here; a failure is thrown, member named. */
    private void onEveryOtherHolder(long ino, String op, java.util.function.Consumer<InetSocketAddress> call) {
        for (String other : claims.othersOf(ino)) {
            try {
                call.accept(peers.of(other));
            } catch (FsException e) {
                throw failed(other, ino, op, e);
            }
        }
    }

    /**
     * Frees the file's data on every holder. The name is already gone when this runs (unlink, rename over it): a
     * member that cannot be reached keeps its chunks as a leak for {@code tierfs fsck} on that member, which is
     * logged, and the unlink itself still succeeds. A member other than the home sends it to the home, which frees
     * its own chunks and asks every holder (this member included) to free theirs, unless a process on the home
     * still has the file open (then the home's last close does it); a holder with the file open keeps its chunks
     * until its own last close, which sends the delete to the home again, which then knows no holders any more: such
     * chunks are left for {@code tierfs fsck} (orphan chunks), never freed under an open handle.
     */
    @Override
    public void delete(long ino) {
        String home = remoteHome(ino);
        windows.forget(ino);
        try {
            drain(ino); // a queued write must not land after the free and leave data behind
        } catch (FsException e) {
            log.info("queued writes of removed inode {} did not land (moot now): {}", ino, e.getMessage());
        }
        if (home != null) {
            deleteOn(home, ino);
            known.forget(ino);
            return;
        }
        local.delete(ino);
        for (String other : claims.othersOf(ino)) {
            deleteOn(other, ino);
        }
        claims.forget(ino);
    }

    private void deleteOn(String member, long ino) {
        try {
            client.delete(peers.of(member), FileDataRepository.keyOf(ino));
        } catch (FsException e) {
            if (e instanceof DataPlaneException dp && dp.kind() != DataPlaneException.Kind.REMOTE) {
                peers.forget(member);
            }
            log.warn("data of removed inode {} stays on member {} until fsck collects it: {}", ino, member,
                    e.getMessage());
        }
    }

    /** A failed call, named with the inode, the operation and the member (EIO, ETIMEDOUT, or its errno). */
    private FsException failed(String member, long ino, String op, FsException e) {
        if (e instanceof DataPlaneException dp && dp.kind() != DataPlaneException.Kind.REMOTE) {
            peers.forget(member);
        }
        String role = member.equals(remoteHome(ino)) ? "its data home " : "member ";
        return new FsException(e.errno(), op + " of inode " + ino + " on " + role + member + " failed: "
                + e.getMessage(), e);
    }

    /** The chunks of {@code ino} this member holds. */
    @Override
    public List<ChunkPlacement> where(long ino) {
        return local.where(ino);
    }

    @Override
    public List<TierUsage> usage() {
        return local.usage();
    }

    @Override
    public void accessed(long ino) {
        String home = remoteHome(ino);
        if (home == null) {
            local.accessed(ino);
        }
        if (!allHere(ino, home)) {
            windows.invalidate(ino); // an open: close-to-open, nothing read before it may serve it
        }
    }

    @Override
    public void created(long ino, String path, int uid, int gid) {
        if (remoteHome(ino) == null) {
            local.created(ino, path, uid, gid);
        }
    }

    @Override
    public void pathSeen(long ino, String path) {
        if (remoteHome(ino) == null) {
            local.pathSeen(ino, path);
        }
    }

    @Override
    public Optional<String> pathHint(long ino) {
        return remoteHome(ino) == null ? local.pathHint(ino) : Optional.empty();
    }

    @Override
    public MoverStatus moverStatus() {
        return local.moverStatus();
    }

    /** Closes the data-plane client; the local store is closed by its owner. */
    @Override
    public void close() {
        ahead.close();
        if (writeBehind != null) {
            writeBehind.close();
        }
        client.close();
    }
}
