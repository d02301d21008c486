package io.tierfs.node.data;

import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.DataStore;
import io.tierfs.tier.MoverStatus;
import io.tierfs.tier.TierUsage;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * What this member's file data service applies the other members' calls to: a file homed here goes through the
 * {@link RoutingDataStore} (its home applies whole-file calls to every holder of its chunks, and reads chunks held
 * elsewhere from them), a chunk of a file homed elsewhere that this member holds goes to the local store (it was
 * sent here because this member holds it; routing it again would send it back to the home).
 */
final class ServedFileData implements DataStore {
    private final RoutingDataStore routing;
    private final DataStore local;

    ServedFileData(RoutingDataStore routing, DataStore local) {
        this.routing = routing;
        this.local = local;
    }

    private DataStore of(long ino) {
        return routing.homedHere(ino) ? routing : local;
    }

    @Override
    public int read(long ino, long offset, ByteBuffer dst) {
        return of(ino).read(ino, offset, dst);
    }

    @Override
    public void write(long ino, long offset, ByteBuffer src) {
        of(ino).write(ino, offset, src);
    }

    @Override
    public long append(long ino, long knownEnd, ByteBuffer src) {
        return of(ino).append(ino, knownEnd, src);
    }

    @Override
    public long dataEnd(long ino) {
        return local.dataEnd(ino);
    }

    @Override
    public void truncate(long ino, long size) {
        of(ino).truncate(ino, size);
    }

    @Override
    public void fsync(long ino) {
        of(ino).fsync(ino);
    }

    @Override
    public void delete(long ino) {
        of(ino).delete(ino);
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
    public MoverStatus moverStatus() {
        return local.moverStatus();
    }

    /** Closes nothing: the routing store and the local store have their owners. */
    @Override
    public void close() {
    }
}
