package io.tierfs.simulator.engine;

import java.util.PriorityQueue;

/** Pending events in virtual-time order; ties in the order they were scheduled, so runs are deterministic. */
final class EventQueue {
    private record Entry(long time, long seq, SimEvent event) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Entry> heap = new PriorityQueue<>();
    private long seq;
    private long processed;
    private long lastTime;

    void schedule(long time, SimEvent e) {
        heap.add(new Entry(time, seq++, e));
    }

    /** Time of the next event; Long.MAX_VALUE when none. */
    long nextTime() {
        Entry e = heap.peek();
        return e == null ? Long.MAX_VALUE : e.time;
    }

    boolean isEmpty() {
        return heap.isEmpty();
    }

    SimEvent pop() {
        Entry e = heap.poll();
        processed++;
        lastTime = e.time;
        return e.event;
    }

    long lastTime() {
        return lastTime;
    }

    long processed() {
        return processed;
    }
}
