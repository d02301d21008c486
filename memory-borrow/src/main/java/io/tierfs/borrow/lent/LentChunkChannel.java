package io.tierfs.borrow.lent;

import io.tierfs.tier.net.ChunkChannelBase;
import io.tierfs.tier.net.DataPlaneException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * One lent chunk copy as a {@link FileChannel}, so that the tier engine's chunk code (copy, checksum, read, write,
 * truncate) runs unchanged on lent memory. Every call looks up the chunk's current placement: after a lender fails
 * or is recalled, the same channel reads the replica that took over. Writes go to the primary and then to the
 * replica; a lender that cannot be reached is marked down and the surviving copy carries on.
 * {@link #force} does nothing: lent memory is volatile by definition (the engine's flusher makes data durable).
 */
final class LentChunkChannel extends ChunkChannelBase {
    private final LentSpace space;
    private final ChunkId id;
    private final long gen;
    private long position;

    LentChunkChannel(LentSpace space, ChunkId id, long gen) {
        this.space = space;
        this.id = id;
        this.gen = gen;
    }

    private interface Op<T> {
        T run(InetSocketAddress at) throws DataPlaneException;
    }

    /** Runs {@code op} on the primary; if it is unreachable and a replica exists, the replica takes over. */
    private <T> T onPrimary(String what, Op<T> op) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            Placement p = space.placement(id);
            if (p == null) {
                throw new IOException(what + " of lent chunk " + id.ino() + "#" + id.index() + ": not placed (deleted?)");
            }
            String lender = p.primary();
            LenderSlot s = space.slot(lender).orElseThrow(() -> new IOException(
                    what + " of lent chunk " + id.ino() + "#" + id.index() + ": lender " + lender + " unknown"));
            if (s.state == SlotState.DOWN && !space.promoteReplica(id)) {
                throw new IOException(what + " of lent chunk " + id.ino() + "#" + id.index() + ": lender " + lender
                        + " is unreachable and the chunk has no replica");
            } else if (s.state == SlotState.DOWN) {
                continue;
            }
            try {
                return op.run(s.address);
            } catch (DataPlaneException e) {
                if (!unreachable(e)) {
                    throw new IOException(what + " of lent chunk " + id.ino() + "#" + id.index() + " on " + lender
                            + ": " + e.getMessage(), e);
                }
                space.unreachable(lender, e);
                if (!space.promoteReplica(id)) {
                    throw new IOException(what + " of lent chunk " + id.ino() + "#" + id.index() + " on " + lender
                            + ": " + e.getMessage() + " (no replica)", e);
                }
            }
        }
        throw new IOException(what + " of lent chunk " + id.ino() + "#" + id.index() + ": no reachable copy");
    }

    /** Applies a change to the primary and then to the replica (a replica that fails is dropped, not fatal). */
    private void onAll(String what, Op<Void> op) throws IOException {
        onPrimary(what, op);
        Placement p = space.placement(id);
        String rep = p == null ? null : p.replica();
        if (rep == null) {
            return;
        }
        LenderSlot s = space.slot(rep).orElse(null);
        if (s == null || s.state == SlotState.DOWN) {
            space.dropReplica(id);
            org.slf4j.LoggerFactory.getLogger(LentChunkChannel.class).warn(
                    "{} of chunk {}#{}: replica lender {} is down; the chunk has one copy now", what, id.ino(),
                    id.index(), rep);
            return;
        }
        try {
            op.run(s.address);
        } catch (DataPlaneException e) {
            if (unreachable(e)) {
                space.unreachable(rep, e);
            }
            space.dropReplica(id);
            org.slf4j.LoggerFactory.getLogger(LentChunkChannel.class).warn(
                    "{} of chunk {}#{}: replica on {} failed ({}); the chunk has one copy now", what, id.ino(),
                    id.index(), rep, e.getMessage());
        }
    }

    private static boolean unreachable(DataPlaneException e) {
        return e.kind() == DataPlaneException.Kind.UNREACHABLE || e.kind() == DataPlaneException.Kind.TIMEOUT;
    }

    @Override
    public int read(ByteBuffer dst, long pos) throws IOException {
        int p0 = dst.position();
        return onPrimary("read", at -> {
            dst.position(p0);
            return space.client().read(at, space.key(id, gen), pos, dst);
        });
    }

    @Override
    public int write(ByteBuffer src, long pos) throws IOException {
        int n = src.remaining();
        ByteBuffer data = src.duplicate();
        onAll("write", at -> {
            space.client().write(at, space.key(id, gen), pos, data.duplicate());
            return null;
        });
        src.position(src.position() + n);
        return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = read(dst, position);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = write(src, position);
        position += n;
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int n = read(dsts[i]);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(srcs[i]);
        }
        return total;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public FileChannel position(long newPosition) {
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        return onPrimary("size", at -> space.client().size(at, space.key(id, gen)));
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        onAll("truncate", at -> {
            space.client().truncate(at, space.key(id, gen), size);
            return null;
        });
        return this;
    }

    @Override
    public void force(boolean metaData) {
        // volatile by definition: the engine's flusher and fsync make the data durable on a durable tier
    }

    @Override
    protected String describe() {
        return "a lent chunk (" + id.ino() + "#" + id.index() + ")";
    }
}
