package io.tierfs.node.data;

import io.tierfs.common.FsException;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.DataStore;
import io.tierfs.tier.MoverStatus;
import io.tierfs.tier.ReadSink;
import io.tierfs.tier.TierUsage;
import io.tierfs.tier.net.ChunkClient;
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
 * A cluster member's view of file data: a file's bytes live on its <em>data home</em> (the member that reserved its
 * inode number); calls for a file homed here (or of unknown home: data from before homes were recorded) go to the
 * local store, the others to the home's file data service over the data plane ({@link FileDataRepository} there),
 * where the home's engine applies them under its chunk locks. Nothing is cached here: every read sees what the home
 * holds at that moment (the kernel's page cache is governed by the VFS on open).
 * <p>
 * A home that cannot be reached fails the call with the data plane's errno (EIO, ETIMEDOUT) and a message naming the
 * member and the inode; never zeros. Tier hints (created, pathSeen, accessed) of remote files are the home's business
 * and are dropped here; {@link #where}, {@link #usage()} and {@link #moverStatus()} describe the local store.
 */
public final class RoutingDataStore implements DataStore {
    private static final Logger log = LoggerFactory.getLogger(RoutingDataStore.class);

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
    /** Remote writes acknowledged once queued; null: every remote write waits for its home. */
    private final WriteBehind writeBehind;
    /** Read-ahead of remote files for sequential readers (64 MiB of windows at most). */
    private final ReadWindows windows = new ReadWindows(MAX_READ_WINDOWS);
    static final int MAX_READ_WINDOWS = 64;
    /** How long an fsync waits for the home (which may have gigabytes to make durable). */
    private volatile Duration fsyncTimeout = DEFAULT_FSYNC_TIMEOUT;
    public static final Duration DEFAULT_FSYNC_TIMEOUT = Duration.ofMinutes(10);

    /**
     * @param self  this member's id
     * @param homes the data home of an inode, empty when unknown (then local)
     */
    public RoutingDataStore(DataStore local, String self, LongFunction<Optional<String>> homes, Peers peers,
                            ChunkClient client) {
        this(local, self, homes, peers, client, 0, 0);
    }

    /**
     * @param writeBehindBytes bytes of remote writes queued per file before a writer waits for the home (0: none,
     *                         each remote write is a synchronous round trip)
     * @param senders          threads sending queued writes
     */
    public RoutingDataStore(DataStore local, String self, LongFunction<Optional<String>> homes, Peers peers,
                            ChunkClient client, long writeBehindBytes, int senders) {
        this.local = local;
        this.self = self;
        this.homes = homes;
        this.peers = peers;
        this.client = client;
        this.writeBehind = writeBehindBytes > 0 ? new WriteBehind(this::writeAtHome, senders, writeBehindBytes)
                : null;
    }

    /** The remote home of {@code ino}, or null when its data is here. */
    private String remoteHome(long ino) {
        Optional<String> h = homes.apply(ino);
        return h.isEmpty() || h.get().equals(self) ? null : h.get();
    }

    @Override
    public int read(long ino, long offset, ByteBuffer dst) {
        String home = remoteHome(ino);
        if (home == null) {
            return local.read(ino, offset, dst);
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        int served = windows.read(ino, offset, dst, (i, off, buf) -> readAtHome(home, i, off, buf));
        return served >= 0 ? served : readAtHome(home, ino, offset, dst);
    }

    @Override
    public void read(long ino, long offset, int len, ReadSink sink) {
        if (remoteHome(ino) == null) {
            local.read(ino, offset, len, sink);
        } else {
            DataStore.super.read(ino, offset, len, sink);
        }
    }

    /** A read of {@code ino} at its home, after this member's queued writes to that range (read-your-writes). */
    private int readAtHome(String home, long ino, long offset, ByteBuffer dst) {
        if (writeBehind != null) {
            writeBehind.awaitRange(ino, offset, dst.remaining());
        }
        try {
            InetSocketAddress at = peers.of(home);
            return Math.max(0, client.read(at, FileDataRepository.keyOf(ino), offset, dst));
        } catch (FsException e) {
            throw failed(home, ino, "read", e);
        }
    }

    /**
     * Read windows of {@code ino} fetched before now may not serve later reads: this member took a lock on the file
     * (as NFS revalidates its cache at lock time), or anything else that must see the home's current bytes.
     */
    public void revalidate(long ino) {
        windows.invalidate(ino);
    }

    @Override
    public void write(long ino, long offset, ByteBuffer src) {
        String home = remoteHome(ino);
        if (home == null) {
            local.write(ino, offset, src);
            return;
        }
        try {
            if (writeBehind != null) {
                writeBehind.write(ino, offset, src);
            } else {
                writeAtHome(ino, offset, src);
            }
        } finally {
            windows.invalidate(ino); // after the write is queued: a fetch from now on waits for it
        }
    }

    /** A remote write, synchronous: applied at the home when this returns. */
    private void writeAtHome(long ino, long offset, ByteBuffer src) {
        String home = remoteHome(ino);
        if (home == null) {
            local.write(ino, offset, src); // the home moved here meanwhile (cannot today: ranges never change)
            return;
        }
        try {
            InetSocketAddress at = peers.of(home);
            client.write(at, FileDataRepository.keyOf(ino), offset, src);
        } catch (FsException e) {
            throw failed(home, ino, "write", e);
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
        if (writeBehind != null && remoteHome(ino) != null) {
            writeBehind.drain(ino);
        }
    }

    /** O_APPEND: applied on the home, ordered there with every other member's appends to the file. */
    @Override
    public long append(long ino, long knownEnd, ByteBuffer src) {
        String home = remoteHome(ino);
        if (home == null) {
            return local.append(ino, knownEnd, src);
        }
        drain(ino); // this member's queued writes land first: the append's end must count them
        try {
            return client.append(peers.of(home), FileDataRepository.keyOf(ino), knownEnd, src);
        } catch (FsException e) {
            throw failed(home, ino, "append", e);
        } finally {
            windows.invalidate(ino);
        }
    }

    @Override
    public void truncate(long ino, long size) {
        String home = remoteHome(ino);
        if (home == null) {
            local.truncate(ino, size);
            return;
        }
        drain(ino);
        try {
            client.truncate(peers.of(home), FileDataRepository.keyOf(ino), size);
        } catch (FsException e) {
            throw failed(home, ino, "truncate", e);
        } finally {
            windows.invalidate(ino);
        }
    }

    @Override
    public void fsync(long ino) {
        String home = remoteHome(ino);
        if (home == null) {
            local.fsync(ino);
            return;
        }
        drain(ino);
        try {
            client.fsync(peers.of(home), FileDataRepository.keyOf(ino), fsyncTimeout);
        } catch (FsException e) {
            throw failed(home, ino, "fsync", e);
        }
    }

    /**
     * Frees the file's data on its home. The name is already gone when this runs (unlink, rename over it): a home
     * that cannot be reached keeps the data as a leak for {@code tierfs fsck} on that member, which is logged, and
     * the unlink itself still succeeds.
     */
    @Override
    public void delete(long ino) {
        String home = remoteHome(ino);
        if (home == null) {
            local.delete(ino);
            return;
        }
        windows.forget(ino);
        try {
            drain(ino); // a queued write must not land after the free and leave data behind
        } catch (FsException e) {
            log.info("queued writes of removed inode {} did not land (moot now): {}", ino, e.getMessage());
        }
        try {
            client.delete(peers.of(home), FileDataRepository.keyOf(ino));
        } catch (FsException e) {
            if (e instanceof DataPlaneException dp && dp.kind() != DataPlaneException.Kind.REMOTE) {
                peers.forget(home);
            }
            log.warn("data of removed inode {} stays on its home {} until fsck collects it: {}", ino, home,
                    e.getMessage());
        }
    }

    /** A failed call, named with the inode, the operation and the home (EIO, ETIMEDOUT, or the home's errno). */
    private FsException failed(String home, long ino, String op, FsException e) {
        if (e instanceof DataPlaneException dp && dp.kind() != DataPlaneException.Kind.REMOTE) {
            peers.forget(home);
        }
        return new FsException(e.errno(), op + " of inode " + ino + " on its data home " + home + " failed: "
                + e.getMessage(), e);
    }

    @Override
    public List<ChunkPlacement> where(long ino) {
        return remoteHome(ino) == null ? local.where(ino) : List.of();
    }

    @Override
    public List<TierUsage> usage() {
        return local.usage();
    }

    @Override
    public void accessed(long ino) {
        if (remoteHome(ino) == null) {
            local.accessed(ino);
        } else {
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
        if (writeBehind != null) {
            writeBehind.close();
        }
        client.close();
    }
}
