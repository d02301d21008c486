package io.tierfs.migration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The mover's {@link MoveListener}s; a listener that throws is logged and does not disturb the move. */
final class MoveObservers {
    private static final Logger log = LoggerFactory.getLogger(MoveObservers.class);
    private final List<MoveListener> listeners = new CopyOnWriteArrayList<>();

    void add(MoveListener l) {
        listeners.add(l);
    }

    /** Announces a copy; returns its start time for {@link #finished}. */
    long started(long ino, int chunk, int from, int to) {
        long now = System.currentTimeMillis();
        if (!listeners.isEmpty()) {
            MoveEvent e = new MoveEvent(ino, chunk, from, to, 0, null, now, 0);
            for (MoveListener l : listeners) {
                try {
                    l.started(e);
                } catch (RuntimeException ex) {
                    log.warn("move listener {} failed on start of chunk {}#{}: {}", l, ino, chunk, ex.toString());
                }
            }
        }
        return now;
    }

    /** Announces the end of a copy; {@code r} null when it threw. */
    void finished(long ino, int chunk, int from, int to, long startMillis, ChunkMove.Result r) {
        if (listeners.isEmpty()) {
            return;
        }
        MoveEvent.Result result = r == null ? MoveEvent.Result.FAILED : switch (r.outcome().name()) {
            case "MOVED" -> MoveEvent.Result.MOVED;
            case "RACED" -> MoveEvent.Result.RACED;
            default -> MoveEvent.Result.SKIPPED;
        };
        MoveEvent e = new MoveEvent(ino, chunk, from, to, r == null ? 0 : r.bytes(), result, startMillis,
                System.currentTimeMillis());
        for (MoveListener l : listeners) {
            try {
                l.finished(e);
            } catch (RuntimeException ex) {
                log.warn("move listener {} failed on end of chunk {}#{}: {}", l, ino, chunk, ex.toString());
            }
        }
    }
}
