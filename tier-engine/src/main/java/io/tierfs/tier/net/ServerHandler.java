package io.tierfs.tier.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One server connection: unframes requests on the event loop, runs them on the repository pool, frames the
 * replies. Stops reading the connection while {@value #HIGH} requests are in flight (backpressure), resumes at
 * {@value #LOW}.
 */
final class ServerHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ServerHandler.class);
    private static final int HIGH = 32;
    private static final int LOW = 8;

    private final ChunkRepository repo;
    private final Executor io;
    private final WireFaults faults;
    private final AtomicInteger inFlight = new AtomicInteger();

    ServerHandler(ChunkRepository repo, Executor io, WireFaults faults) {
        this.repo = repo;
        this.io = io;
        this.faults = faults;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        Request r;
        try {
            r = Frames.decodeRequest(frame);
        } catch (RuntimeException e) {
            log.warn("data plane: malformed request from {}, closing the connection: {}", ctx.channel().remoteAddress(),
                    e.toString());
            ctx.close();
            return;
        } finally {
            frame.release();
        }
        Channel ch = ctx.channel();
        if (inFlight.incrementAndGet() >= HIGH) {
            ch.config().setAutoRead(false);
        }
        try {
            io.execute(() -> serve(ch, r));
        } catch (RejectedExecutionException e) {
            r.payload().release();
            reply(ch, Response.error(r.id(), Errno.EAGAIN.code(), "server busy or closing"));
        }
    }

    private void serve(Channel ch, Request r) {
        Response resp;
        try {
            resp = execute(ch, r);
        } catch (FsException e) {
            resp = Response.error(r.id(), e.errno().code(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("data plane: {} from {} failed", r, ch.remoteAddress(), e);
            resp = Response.error(r.id(), Errno.EIO.code(), e.toString());
        } finally {
            r.payload().release();
        }
        reply(ch, resp);
    }

    private void reply(Channel ch, Response resp) {
        ByteBuf out = Frames.encode(ch.alloc(), resp.withPayload(faults.apply(resp.payload())));
        ch.writeAndFlush(out).addListener(f -> {
            if (!f.isSuccess()) {
                log.debug("data plane: reply to {} not sent: {}", ch.remoteAddress(), f.cause().toString());
            }
        });
        if (inFlight.decrementAndGet() <= LOW && !ch.config().isAutoRead()) {
            ch.config().setAutoRead(true);
        }
    }

    private Response execute(Channel ch, Request r) {
        long id = r.id();
        switch (r.op()) {
            case PING:
                return Response.ok(id, 0);
            case READ: {
                if (r.length() < 0 || r.length() > Frames.MAX_PIECE) {
                    throw new FsException(Errno.EINVAL, "read length " + r.length() + " not in 0.." + Frames.MAX_PIECE);
                }
                int len = (int) r.length();
                ByteBuf buf = ch.alloc().directBuffer(Math.max(len, 1));
                try {
                    ByteBuffer dst = buf.nioBuffer(0, len);
                    int n = repo.read(r.key(), r.offset(), dst);
                    buf.writerIndex(Math.max(n, 0));
                    return Response.ok(id, n, buf);
                } catch (RuntimeException e) {
                    buf.release();
                    throw e;
                }
            }
            case WRITE: {
                if (Frames.crc32c(r.payload()) != r.payloadCrc()) {
                    log.warn("data plane: {} from {} arrived with a bad CRC32C; asking for it again", r,
                            ch.remoteAddress());
                    return Response.badChecksum(id, "write payload of " + r.payload().readableBytes()
                            + " bytes arrived with a bad CRC32C");
                }
                repo.write(r.key(), r.offset(), r.payload().nioBuffer());
                return Response.ok(id, r.payload().readableBytes());
            }
            case APPEND: {
                if (Frames.crc32c(r.payload()) != r.payloadCrc()) {
                    log.warn("data plane: {} from {} arrived with a bad CRC32C; asking for it again", r,
                            ch.remoteAddress());
                    return Response.badChecksum(id, "append payload of " + r.payload().readableBytes()
                            + " bytes arrived with a bad CRC32C");
                }
                return Response.ok(id, repo.append(r.key(), r.offset(), r.length(), r.payload().nioBuffer()));
            }
            case SIZE:
                return Response.ok(id, repo.size(r.key()));
            case CLAIM: {
                if (Frames.crc32c(r.payload()) != r.payloadCrc()) {
                    return Response.badChecksum(id, "claim payload arrived with a bad CRC32C");
                }
                java.util.List<String> owners = repo.claim(r.key(),
                        Frames.decodeClaim(r.payload(), r.offset(), r.length()));
                return Response.ok(id, owners.size(), Frames.encodeMembers(ch.alloc(), owners));
            }
            case TRUNCATE:
                repo.truncate(r.key(), r.offset());
                return Response.ok(id, 0);
            case DELETE:
                repo.delete(r.key());
                return Response.ok(id, 0);
            case FSYNC:
                repo.fsync(r.key());
                return Response.ok(id, 0);
            case CRC:
                return Response.ok(id, repo.crc32c(r.key(), r.length()));
            case DELETE_OWNER:
                repo.deleteOwner(ChunkKey.checkOwner(r.owner()));
                return Response.ok(id, 0);
            case LIST: {
                Map<ChunkKey, Long> held = repo.list(ChunkKey.checkOwner(r.owner()));
                if ((long) held.size() * Frames.LIST_ENTRY > Frames.MAX_RESPONSE_FRAME - 1024) {
                    throw new FsException(Errno.E2BIG, "owner " + r.owner() + " has " + held.size()
                            + " chunks, too many to list in one reply");
                }
                ByteBuf buf = ch.alloc().buffer(Math.max(1, held.size() * Frames.LIST_ENTRY));
                for (Map.Entry<ChunkKey, Long> e : held.entrySet()) {
                    buf.writeLong(e.getKey().ino()).writeInt(e.getKey().chunk()).writeLong(e.getKey().gen())
                            .writeLong(e.getValue());
                }
                return Response.ok(id, held.size(), buf);
            }
            default:
                throw new FsException(Errno.ENOSYS, "unknown op " + r.op());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("data plane: connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("data plane: closing connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }
}
