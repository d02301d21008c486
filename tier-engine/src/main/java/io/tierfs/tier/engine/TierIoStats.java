package io.tierfs.tier.engine;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Application I/O that reached one tier (chunk reads and writes, not the mover's or flusher's copies): operation
 * and byte counts, and a hook that receives each operation's latency. The counters are cheap enough for the data
 * path (LongAdders); the latency hook lets the node feed its metrics system without this module depending on it.
 */
public final class TierIoStats {
    private static final LongConsumer NONE = nanos -> { };

    private final LongAdder readOps = new LongAdder();
    private final LongAdder readBytes = new LongAdder();
    private final LongAdder writeOps = new LongAdder();
    private final LongAdder writeBytes = new LongAdder();
    private volatile LongConsumer readLatency = NONE;
    private volatile LongConsumer writeLatency = NONE;

    public void recordRead(long bytes, long nanos) {
        readOps.increment();
        readBytes.add(bytes);
        readLatency.accept(nanos);
    }

    public void recordWrite(long bytes, long nanos) {
        writeOps.increment();
        writeBytes.add(bytes);
        writeLatency.accept(nanos);
    }

    /** Receives the latency (nanoseconds) of every later read and write; replaces an earlier pair. */
    public void onLatency(LongConsumer readNanos, LongConsumer writeNanos) {
        this.readLatency = readNanos == null ? NONE : readNanos;
        this.writeLatency = writeNanos == null ? NONE : writeNanos;
    }

    public long readOps() {
        return readOps.sum();
    }

    public long readBytes() {
        return readBytes.sum();
    }

    public long writeOps() {
        return writeOps.sum();
    }

    public long writeBytes() {
        return writeBytes.sum();
    }
}
