package io.tierfs.node.metrics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The last {@code capacity} samples of the figures the status page charts (a ring, oldest dropped first). */
public final class History {
    /**
     * One sample: wall-clock time, bytes used per tier (in tier order), mover throughput down and up in bytes per
     * second, and metadata operations per second (all types).
     */
    public record Sample(long timeMillis, List<Long> usedBytes, double moverDownBytesPerSec,
                         double moverUpBytesPerSec, double metadataOpsPerSec) {
    }

    private final int capacity;
    private final Deque<Sample> samples = new ArrayDeque<>();

    public History(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(Sample s) {
        samples.addLast(s);
        while (samples.size() > capacity) {
            samples.removeFirst();
        }
    }

    /** Oldest first. */
    public synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }
}
