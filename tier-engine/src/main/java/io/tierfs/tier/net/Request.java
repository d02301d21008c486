package io.tierfs.tier.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One request frame. {@code owner}, {@code ino}, {@code chunk}, {@code gen} name the chunk (or only the owner, for
 * LIST and DELETE_OWNER); {@code offset} is the position (READ, WRITE), the size (TRUNCATE) or the end the caller
 * knows (APPEND); {@code length} is the byte count to read or to checksum, or the append's id (APPEND). The payload
 * (WRITE and APPEND data) carries its CRC32C; the request owns the payload buffer until it is encoded or released.
 */
record Request(long id, Op op, String owner, long ino, int chunk, long gen, long offset, long length,
               int payloadCrc, ByteBuf payload) {

    static Request of(long id, Op op, ChunkKey k, long offset, long length) {
        return new Request(id, op, k.owner(), k.ino(), k.chunk(), k.gen(), offset, length, 0, Unpooled.EMPTY_BUFFER);
    }

    static Request ofOwner(long id, Op op, String owner) {
        return new Request(id, op, owner, 0, 0, 0, 0, 0, 0, Unpooled.EMPTY_BUFFER);
    }

    ChunkKey key() {
        return new ChunkKey(owner, ino, chunk, gen);
    }

    Request withId(long newId) {
        return new Request(newId, op, owner, ino, chunk, gen, offset, length, payloadCrc, payload);
    }

    Request withPayload(ByteBuf p) {
        return new Request(id, op, owner, ino, chunk, gen, offset, length, payloadCrc, p);
    }

    @Override
    public String toString() {
        return op + "#" + id + "(" + owner + ":" + ino + "#" + chunk + "." + gen + " @" + offset + " len " + length
                + ", payload " + payload.readableBytes() + ")";
    }
}
