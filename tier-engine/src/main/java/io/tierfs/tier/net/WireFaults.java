package io.tierfs.tier.net;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test hook on one side of the data plane ({@link ChunkServer#wireFaults()}, {@link ChunkClient#wireFaults()}):
 * flips a bit in the next N payloads that side sends, after their CRC32C was computed, as a bad NIC or cable would.
 * The receiver must notice and the transfer must be retried. The sender's own data is never touched (the flip is
 * made in a copy). Cost when nothing is armed: one volatile read per payload.
 */
public final class WireFaults {
    private final AtomicInteger remaining = new AtomicInteger();
    private final AtomicInteger injected = new AtomicInteger();

    /** Corrupts the next {@code n} payloads sent (replacing what was armed before). */
    public void corruptNext(int n) {
        remaining.set(Math.max(0, n));
    }

    /** Payloads corrupted so far. */
    public int injected() {
        return injected.get();
    }

    /** Stops corrupting. */
    public void clear() {
        remaining.set(0);
    }

    /** {@code payload}, or a corrupted copy of it (then {@code payload} is released) if armed. Empty ones pass. */
    ByteBuf apply(ByteBuf payload) {
        if (remaining.get() <= 0 || !payload.isReadable()) {
            return payload;
        }
        if (remaining.getAndUpdate(x -> x > 0 ? x - 1 : 0) <= 0) {
            return payload;
        }
        ByteBuf copy = payload.alloc().buffer(payload.readableBytes());
        copy.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        payload.release();
        int at = copy.readableBytes() / 2;
        copy.setByte(at, copy.getByte(at) ^ 0x10);
        injected.incrementAndGet();
        return copy;
    }
}
