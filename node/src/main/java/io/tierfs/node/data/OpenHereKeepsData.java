package io.tierfs.node.data;

import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.DataStore;
import io.tierfs.tier.MoverStatus;
import io.tierfs.tier.TierUsage;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * The home's store as other members see it: everything passes through, except that freeing the data of an inode
 * that another member unlinked waits while a process on the home still has the file open (POSIX keeps an unlinked
 * file readable and writable until its last close; the home's VFS then frees it at that close). Opens on third
 * members are not known here (docs/consistency.md).
 */
final class OpenHereKeepsData implements DataStore {
    private final DataStore local;
    private volatile LongPredicate keepsData = ino -> false;

    OpenHereKeepsData(DataStore local) {
        this.local = local;
    }

    /** Set once the member's VFS exists: whether a handle there keeps the data of a removed inode (and marks it). */
    void keepsData(LongPredicate p) {
        this.keepsData = p;
    }

    @Override
    public void delete(long ino) {
        if (!keepsData.test(ino)) {
            local.delete(ino);
        }
    }

    @Override
    public int read(long ino, long offset, ByteBuffer dst) {
        return local.read(ino, offset, dst);
    }

    @Override
    public void write(long ino, long offset, ByteBuffer src) {
        local.write(ino, offset, src);
    }

    @Override
    public long append(long ino, long knownEnd, ByteBuffer src) {
        return local.append(ino, knownEnd, src);
    }

    @Override
    public void truncate(long ino, long size) {
        local.truncate(ino, size);
    }

    @Override
    public void fsync(long ino) {
        local.fsync(ino);
    }

    @Override
    public void drain(long ino) {
        local.drain(ino);
    }

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
        local.accessed(ino);
    }

    @Override
    public void created(long ino, String path, int uid, int gid) {
        local.created(ino, path, uid, gid);
    }

    @Override
    public void pathSeen(long ino, String path) {
        local.pathSeen(ino, path);
    }

    @Override
    public Optional<String> pathHint(long ino) {
        return local.pathHint(ino);
    }

    @Override
    public MoverStatus moverStatus() {
        return local.moverStatus();
    }

    /** The local store belongs to the member, which closes it. */
    @Override
    public void close() {
    }
}
