package io.tierfs.node.data;

import io.tierfs.common.FsException;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.DataStore;
import io.tierfs.tier.MoverStatus;
import io.tierfs.tier.TierUsage;
import io.tierfs.tier.net.ChunkClient;
import io.tierfs.tier.net.DataPlaneException;
import io.tierfs.tier.net.FileDataRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
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

    /**
     * @param self  this member's id
     * @param homes the data home of an inode, empty when unknown (then local)
     */
    public RoutingDataStore(DataStore local, String self, LongFunction<Optional<String>> homes, Peers peers,
                            ChunkClient client) {
        this.local = local;
        this.self = self;
        this.homes = homes;
        this.peers = peers;
        this.client = client;
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
        try {
            InetSocketAddress at = peers.of(home);
            return Math.max(0, client.read(at, FileDataRepository.keyOf(ino), offset, dst));
        } catch (FsException e) {
            throw failed(home, ino, "read", e);
        }
    }

    @Override
    public void write(long ino, long offset, ByteBuffer src) {
        String home = remoteHome(ino);
        if (home == null) {
            local.write(ino, offset, src);
            return;
        }
        try {
            InetSocketAddress at = peers.of(home);
            client.write(at, FileDataRepository.keyOf(ino), offset, src);
        } catch (FsException e) {
            throw failed(home, ino, "write", e);
        }
    }

    /** O_APPEND: applied on the home, ordered there with every other member's appends to the file. */
    @Override
    public long append(long ino, long knownEnd, ByteBuffer src) {
        String home = remoteHome(ino);
        if (home == null) {
            return local.append(ino, knownEnd, src);
        }
        try {
            return client.append(peers.of(home), FileDataRepository.keyOf(ino), knownEnd, src);
        } catch (FsException e) {
            throw failed(home, ino, "append", e);
        }
    }

    @Override
    public void truncate(long ino, long size) {
        String home = remoteHome(ino);
        if (home == null) {
            local.truncate(ino, size);
            return;
        }
        try {
            client.truncate(peers.of(home), FileDataRepository.keyOf(ino), size);
        } catch (FsException e) {
            throw failed(home, ino, "truncate", e);
        }
    }

    @Override
    public void fsync(long ino) {
        String home = remoteHome(ino);
        if (home == null) {
            local.fsync(ino);
            return;
        }
        try {
            client.fsync(peers.of(home), FileDataRepository.keyOf(ino));
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
        client.close();
    }
}
