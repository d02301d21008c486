package io.tierfs.tier.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One reply frame, matched to its request by {@code id}. {@code value} is the op's number (bytes read or -1, size,
 * CRC32C); an error carries the server's errno code and message. {@link Status#BAD_CHECKSUM} says the request's
 * payload arrived corrupt and nothing was done: the client sends it again. The payload (READ data, LIST entries)
 * carries its CRC32C; whoever holds the response releases it.
 */
record Response(long id, Status status, long value, int errno, String message, int payloadCrc, ByteBuf payload) {

    /** How the server disposed of the request. */
    enum Status {
        OK, ERROR, BAD_CHECKSUM;

        private static final Status[] BY_CODE = values();

        static Status of(byte code) {
            if (code < 0 || code >= BY_CODE.length) {
                throw new IllegalArgumentException("unknown data-plane status code " + code);
            }
            return BY_CODE[code];
        }
    }

    static Response ok(long id, long value) {
        return new Response(id, Status.OK, value, 0, "", 0, Unpooled.EMPTY_BUFFER);
    }

    static Response ok(long id, long value, ByteBuf payload) {
        return new Response(id, Status.OK, value, 0, "", Frames.crc32c(payload), payload);
    }

    static Response error(long id, int errno, String message) {
        return new Response(id, Status.ERROR, 0, errno, message, 0, Unpooled.EMPTY_BUFFER);
    }

    static Response badChecksum(long id, String message) {
        return new Response(id, Status.BAD_CHECKSUM, 0, io.tierfs.common.Errno.EIO.code(), message, 0,
                Unpooled.EMPTY_BUFFER);
    }

    Response withPayload(ByteBuf p) {
        return new Response(id, status, value, errno, message, payloadCrc, p);
    }

    /** True unless the payload's CRC32C differs from the one the sender computed. */
    boolean payloadIntact() {
        return Frames.crc32c(payload) == payloadCrc;
    }
}
