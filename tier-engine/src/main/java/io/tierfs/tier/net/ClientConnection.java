package io.tierfs.tier.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One TCP connection of a {@link ChunkClient} to a server, shared by many concurrent requests: each waits for the
 * reply with its id. When the connection drops, every request still waiting fails with {@link Lost}.
 */
final class ClientConnection {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    /** The connection dropped before the reply came (the request may or may not have been carried out). */
    static final class Lost extends IOException {
        Lost(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final InetSocketAddress peer;
    private final ConcurrentHashMap<Long, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private volatile Channel channel;

    ClientConnection(InetSocketAddress peer) {
        this.peer = peer;
    }

    /** Called once the channel is connected. */
    void attach(Channel ch) {
        this.channel = ch;
    }

    boolean isActive() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    /** Sends {@code r} (taking over its payload's reference); the future completes with the reply. */
    CompletableFuture<Response> send(Request r) {
        CompletableFuture<Response> f = new CompletableFuture<>();
        pending.put(r.id(), f);
        Channel ch = channel;
        ch.writeAndFlush(Frames.encode(ch.alloc(), r)).addListener(w -> {
            if (!w.isSuccess()) {
                pending.remove(r.id());
                f.completeExceptionally(new Lost("cannot send to " + DataPlaneException.address(peer) + ": "
                        + w.cause(), w.cause()));
            }
        });
        if (!ch.isActive() && pending.remove(r.id()) != null) {
            // closed between the check and the put: channelInactive may have run before our put
            f.completeExceptionally(new Lost("connection to " + DataPlaneException.address(peer) + " closed", null));
        }
        return f;
    }

    /** Gives up waiting for request {@code id} (timeout, or a sibling piece failed); a late reply is dropped. */
    void abandon(long id, CompletableFuture<Response> f) {
        pending.remove(id);
        if (!f.completeExceptionally(new java.util.concurrent.CancellationException("abandoned"))) {
            Response r = f.getNow(null);
            if (r != null) {
                r.payload().release();
            }
        }
    }

    void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    /** The pipeline's last handler: completes the waiting request, fails all on disconnect. */
    final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            Response r;
            try {
                r = Frames.decodeResponse(frame);
            } catch (RuntimeException e) {
                log.warn("data plane: malformed reply from {}, closing the connection: {}",
                        DataPlaneException.address(peer), e.toString());
                ctx.close();
                return;
            } finally {
                frame.release();
            }
            CompletableFuture<Response> f = pending.remove(r.id());
            if (f == null || !f.complete(r)) {
                r.payload().release(); // its requester gave up waiting
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            failAll(new Lost("connection to " + DataPlaneException.address(peer) + " lost", null));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("data plane: connection to {} failed: {}", DataPlaneException.address(peer), cause.toString());
            failAll(new Lost("connection to " + DataPlaneException.address(peer) + " failed: " + cause, cause));
            ctx.close();
        }
    }

    private void failAll(Lost e) {
        for (Long id : pending.keySet()) {
            CompletableFuture<Response> f = pending.remove(id);
            if (f != null) {
                f.completeExceptionally(e);
            }
        }
    }
}
