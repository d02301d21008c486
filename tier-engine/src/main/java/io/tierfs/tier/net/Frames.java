package io.tierfs.tier.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The wire format of the data plane. Every frame is a 4-byte big-endian length followed by that many bytes:
 * <pre>
 * request:  version:u8 op:u8 id:i64 ownerLen:u16 owner:ascii ino:i64 chunk:i32 gen:i64 offset:i64 length:i64
 *           payloadCrc32c:i32 payloadLen:i32 payload
 * response: version:u8 status:u8 id:i64 value:i64 errno:i32 msgLen:u16 msg:utf8 payloadCrc32c:i32 payloadLen:i32
 *           payload
 * </pre>
 * Payloads are at most {@link #MAX_PIECE} bytes, except LIST replies (up to {@link #MAX_RESPONSE_FRAME}). The payload
 * follows its header without a copy (a composite buffer on the way out, a slice of the frame on the way in).
 */
final class Frames {
    static final byte VERSION = 1;
    /** The largest READ or WRITE payload of one frame; bigger transfers are split by the client. */
    static final int MAX_PIECE = 1 << 20;
    static final int MAX_REQUEST_FRAME = MAX_PIECE + 1024;
    static final int MAX_RESPONSE_FRAME = 64 << 20;
    /** Bytes of one LIST entry: ino, chunk, gen, size. */
    static final int LIST_ENTRY = 8 + 4 + 8 + 8;
    private static final int MAX_MESSAGE = 4096;

    private Frames() {
    }

    static FrameDecoder decoder(int maxFrame) {
        return new FrameDecoder(maxFrame);
    }

    /** Socket reads of up to 256 KiB (Netty's default stops at 64 KiB): fewer reads per 1 MiB frame. */
    static io.netty.channel.AdaptiveRecvByteBufAllocator receiveBuffers() {
        return new io.netty.channel.AdaptiveRecvByteBufAllocator(64, 16 << 10, 256 << 10);
    }

    /** The request as one buffer (header and payload); takes over the payload's reference. */
    static ByteBuf encode(ByteBufAllocator alloc, Request r) {
        byte[] owner = r.owner().getBytes(StandardCharsets.US_ASCII);
        int headerLen = 1 + 1 + 8 + 2 + owner.length + 8 + 4 + 8 + 8 + 8 + 4 + 4;
        ByteBuf h = alloc.buffer(4 + headerLen);
        h.writeInt(headerLen + r.payload().readableBytes());
        h.writeByte(VERSION).writeByte(r.op().code).writeLong(r.id());
        h.writeShort(owner.length).writeBytes(owner);
        h.writeLong(r.ino()).writeInt(r.chunk()).writeLong(r.gen()).writeLong(r.offset()).writeLong(r.length());
        h.writeInt(r.payloadCrc()).writeInt(r.payload().readableBytes());
        return join(h, r.payload());
    }

    /** The response as one buffer (header and payload); takes over the payload's reference. */
    static ByteBuf encode(ByteBufAllocator alloc, Response r) {
        String m = r.message().length() > MAX_MESSAGE ? r.message().substring(0, MAX_MESSAGE) : r.message();
        byte[] msg = m.getBytes(StandardCharsets.UTF_8);
        int headerLen = 1 + 1 + 8 + 8 + 4 + 2 + msg.length + 4 + 4;
        ByteBuf h = alloc.buffer(4 + headerLen);
        h.writeInt(headerLen + r.payload().readableBytes());
        h.writeByte(VERSION).writeByte(r.status().ordinal()).writeLong(r.id()).writeLong(r.value()).writeInt(r.errno());
        h.writeShort(msg.length).writeBytes(msg);
        h.writeInt(r.payloadCrc()).writeInt(r.payload().readableBytes());
        return join(h, r.payload());
    }

    private static ByteBuf join(ByteBuf header, ByteBuf payload) {
        if (!payload.isReadable()) {
            payload.release();
            return header;
        }
        return Unpooled.wrappedBuffer(header, payload);
    }

    /** A CLAIM's payload: the asker's unit (8 bytes), the stride (4) and the member's name (UTF-8, the rest). */
    static ByteBuf encodeClaim(ClaimAsk ask) {
        byte[] m = ask.member().getBytes(StandardCharsets.UTF_8);
        return io.netty.buffer.Unpooled.buffer(12 + m.length).writeLong(ask.unit()).writeInt(ask.stride())
                .writeBytes(m);
    }

    /**
     * The inverse of {@link #encodeClaim}, with the first unit and count from the frame.
     *
     * @throws io.tierfs.common.FsException EINVAL for a payload too short or a claim that names nothing valid
     */
    static ClaimAsk decodeClaim(ByteBuf p, long first, long count) {
        if (p.readableBytes() < 13 || count > ClaimAsk.MAX_COUNT) {
            throw new io.tierfs.common.FsException(io.tierfs.common.Errno.EINVAL, "a claim of " + count
                    + " units with a payload of " + p.readableBytes() + " bytes (unit, stride, member)");
        }
        ByteBuf d = p.duplicate();
        long unit = d.readLong();
        int stride = d.readInt();
        return new ClaimAsk(first, (int) count, stride, unit, d.readCharSequence(d.readableBytes(),
                StandardCharsets.UTF_8).toString());
    }

    /** Member names, each as an unsigned short length and UTF-8 bytes (a CLAIM's answer). */
    static ByteBuf encodeMembers(ByteBufAllocator alloc, java.util.List<String> members) {
        ByteBuf out = alloc.buffer(members.size() * 32);
        for (String m : members) {
            byte[] b = m.getBytes(StandardCharsets.UTF_8);
            out.writeShort(b.length).writeBytes(b);
        }
        return out;
    }

    /** The inverse of {@link #encodeMembers}: {@code count} names, the whole payload. */
    static java.util.List<String> decodeMembers(ByteBuf p, int count) {
        java.util.List<String> out = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (p.readableBytes() < 2) {
                throw new IllegalArgumentException("member list: " + i + " of " + count + " names");
            }
            int len = p.readUnsignedShort();
            if (p.readableBytes() < len) {
                throw new IllegalArgumentException("member list: name " + i + " cut short");
            }
            out.add(p.readCharSequence(len, StandardCharsets.UTF_8).toString());
        }
        if (p.isReadable()) {
            throw new IllegalArgumentException("member list: " + p.readableBytes() + " bytes after " + count + " names");
        }
        return out;
    }

    /** Decodes a request frame (without its length); the payload is a retained slice of {@code f}. */
    static Request decodeRequest(ByteBuf f) {
        checkVersion(f.readByte());
        Op op = Op.of(f.readByte());
        long id = f.readLong();
        String owner = f.readCharSequence(f.readUnsignedShort(), StandardCharsets.US_ASCII).toString();
        long ino = f.readLong();
        int chunk = f.readInt();
        long gen = f.readLong();
        long offset = f.readLong();
        long length = f.readLong();
        int crc = f.readInt();
        ByteBuf payload = payload(f, f.readInt());
        return new Request(id, op, owner, ino, chunk, gen, offset, length, crc, payload);
    }

    /** Decodes a response frame (without its length); the payload is a retained slice of {@code f}. */
    static Response decodeResponse(ByteBuf f) {
        checkVersion(f.readByte());
        Response.Status status = Response.Status.of(f.readByte());
        long id = f.readLong();
        long value = f.readLong();
        int errno = f.readInt();
        String msg = f.readCharSequence(f.readUnsignedShort(), StandardCharsets.UTF_8).toString();
        int crc = f.readInt();
        ByteBuf payload = payload(f, f.readInt());
        return new Response(id, status, value, errno, msg, crc, payload);
    }

    private static ByteBuf payload(ByteBuf f, int len) {
        if (len < 0 || len != f.readableBytes()) {
            throw new IllegalArgumentException("data-plane frame: payload length " + len + " but "
                    + f.readableBytes() + " bytes left");
        }
        return len == 0 ? Unpooled.EMPTY_BUFFER : f.readRetainedSlice(len);
    }

    private static void checkVersion(byte v) {
        if (v != VERSION) {
            throw new IllegalArgumentException("data-plane frame: protocol version " + v + ", expected " + VERSION);
        }
    }

    /** The CRC32C of {@code buf}'s readable bytes (its indexes unchanged). */
    static int crc32c(ByteBuf buf) {
        if (!buf.isReadable()) {
            return 0;
        }
        CRC32C crc = new CRC32C();
        for (ByteBuffer b : buf.nioBuffers(buf.readerIndex(), buf.readableBytes())) {
            crc.update(b);
        }
        return (int) crc.getValue();
    }
}
