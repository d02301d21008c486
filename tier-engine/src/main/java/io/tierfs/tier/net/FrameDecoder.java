package io.tierfs.tier.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Cuts the byte stream into frames (a 4-byte length, then that many bytes), copying each frame's bytes exactly once,
 * into a buffer allocated at its final size as soon as its length is known. Why not Netty's
 * LengthFieldBasedFrameDecoder: it gathers a frame in a cumulation buffer, and while an earlier frame's payload
 * (a slice of that buffer) is still being written to disk by the repository pool, every socket read re-copies the
 * partial frame into a bigger buffer: for 1 MiB frames that is several MiB of copying per frame.
 */
final class FrameDecoder extends ChannelInboundHandlerAdapter {
    private final int maxFrame;
    private int length;
    private int lengthBytes;
    private ByteBuf frame;

    FrameDecoder(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        ByteBuf in = (ByteBuf) msg;
        try {
            while (in.isReadable()) {
                if (frame == null) {
                    while (lengthBytes < 4 && in.isReadable()) {
                        length = (length << 8) | in.readUnsignedByte();
                        lengthBytes++;
                    }
                    if (lengthBytes < 4) {
                        return;
                    }
                    if (length < 0 || length > maxFrame) {
                        throw new TooLongFrameException("data-plane frame of " + length + " bytes (at most "
                                + maxFrame + ")");
                    }
                    frame = ctx.alloc().directBuffer(length, length);
                }
                int n = Math.min(frame.writableBytes(), in.readableBytes());
                frame.writeBytes(in, n);
                if (!frame.isWritable()) {
                    ByteBuf done = frame;
                    frame = null;
                    length = 0;
                    lengthBytes = 0;
                    ctx.fireChannelRead(done);
                }
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (frame != null) {
            frame.release();
            frame = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handlerRemoved(ctx);
        ctx.fireChannelInactive();
    }
}
