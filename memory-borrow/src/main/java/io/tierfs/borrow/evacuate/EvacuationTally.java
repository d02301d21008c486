package io.tierfs.borrow.evacuate;

/**
 * What the workers of one evacuation have done so far. Several movers add to it at once, so every update and read
 * is synchronized (a few per chunk: nothing next to a chunk move).
 */
final class EvacuationTally {
    private long dropped;
    private long flushed;
    private int promoted;
    private int replicasDropped;
    private int chunks;
    private String problem = "";
    private final long[] phaseNanos = new long[Phase.values().length];

    /** The steps of a dirty chunk's move, timed to show where a recall spends its time. */
    enum Phase { BEGIN, COPY, SWITCH, FREE }

    synchronized void timed(Phase p, long nanos) {
        phaseNanos[p.ordinal()] += nanos;
    }

    /** Seconds spent per phase, summed over the movers (so they can add up to more than the run took). */
    synchronized String phases() {
        StringBuilder sb = new StringBuilder();
        for (Phase p : Phase.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(p.name().toLowerCase(java.util.Locale.ROOT))
                    .append(String.format(java.util.Locale.ROOT, " %.2f s", phaseNanos[p.ordinal()] / 1e9));
        }
        return sb.toString();
    }

    synchronized void addDropped(long bytes) {
        dropped += bytes;
        chunks++;
    }

    synchronized void addFlushed(long bytes) {
        flushed += bytes;
        chunks++;
    }

    synchronized void addPromoted() {
        promoted++;
        chunks++;
    }

    synchronized void addReplicaDropped() {
        replicasDropped++;
        chunks++;
    }

    /** The latest problem wins: it says best why chunks are still there. */
    synchronized void report(String text) {
        problem = text == null || text.isBlank() ? "unknown problem" : text;
    }

    synchronized String problem() {
        return problem;
    }

    synchronized long droppedBytes() {
        return dropped;
    }

    synchronized long flushedBytes() {
        return flushed;
    }

    synchronized int promoted() {
        return promoted;
    }

    synchronized int replicasDropped() {
        return replicasDropped;
    }

    synchronized int chunks() {
        return chunks;
    }
}
