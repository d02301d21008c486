package io.tierfs.node.metrics;

import io.tierfs.migration.MoveEvent;
import io.tierfs.migration.MoveListener;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The mover's copies as the status page and the mover metrics see them: those in progress, the last
 * {@code capacity} finished ones, and per-direction totals (down = to a slower tier, up = a promotion).
 */
public final class MoveLog implements MoveListener {
    /** Totals of one direction. */
    public static final class Totals {
        final LongAdder moved = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder bytes = new LongAdder();

        public long moved() {
            return moved.sum();
        }

        public long failed() {
            return failed.sum();
        }

        public long bytes() {
            return bytes.sum();
        }
    }

    private final int capacity;
    private final Map<String, MoveEvent> inProgress = new ConcurrentHashMap<>();
    private final Deque<MoveEvent> recent = new ArrayDeque<>();
    private final Totals down = new Totals();
    private final Totals up = new Totals();

    public MoveLog(int capacity) {
        this.capacity = capacity;
    }

    private static String key(MoveEvent e) {
        return e.ino() + "#" + e.chunk() + ":" + e.fromTier() + ">" + e.toTier();
    }

    @Override
    public void started(MoveEvent e) {
        inProgress.put(key(e), e);
    }

    @Override
    public void finished(MoveEvent e) {
        inProgress.remove(key(e));
        Totals t = e.up() ? up : down;
        switch (e.result()) {
            case MOVED -> {
                t.moved.increment();
                t.bytes.add(e.bytes());
            }
            case RACED, FAILED -> t.failed.increment();
            case SKIPPED -> {
                return; // nothing happened: not worth a line on the page
            }
        }
        synchronized (recent) {
            recent.addFirst(e);
            while (recent.size() > capacity) {
                recent.removeLast();
            }
        }
    }

    public List<MoveEvent> inProgress() {
        List<MoveEvent> out = new ArrayList<>(inProgress.values());
        out.sort(Comparator.comparingLong(MoveEvent::startMillis));
        return out;
    }

    /** Newest first. */
    public List<MoveEvent> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    public Totals down() {
        return down;
    }

    public Totals up() {
        return up;
    }
}
