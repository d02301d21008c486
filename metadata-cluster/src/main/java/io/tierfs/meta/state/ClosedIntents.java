package io.tierfs.meta.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The outcomes of the rename intents a source directory closed recently (done or undone), by txid. Why: a
 * coordinator that handed its rename over to the directory's re-drive (it stalled past the hand-over time, e.g.
 * behind a failover) must still tell its caller what became of the rename; it asks the source directory with the
 * rename's txid until the intent is closed ({@link DirCommand.RenameOutcome}). Without this table a closed intent
 * leaves no trace, and the caller could only answer ETIMEDOUT for a rename that completed.
 * <p>
 * Built from the {@link DirEvent.IntentClosed} events of pending intents only, and bounded deterministically
 * (as {@link AnswerTable}): each close drops the closes older than {@link #TTL} before it (by the events' own time)
 * and the oldest beyond {@link #MAX}, so that replay builds exactly the table that was live. A coordinator waits
 * for an outcome at most its ask deadline (about a minute), far below the TTL.
 */
public final class ClosedIntents {
    /** How long a close is remembered after it (by event time). */
    public static final Duration TTL = Duration.ofMinutes(10);
    /** Most closes remembered per directory. */
    public static final int MAX = 16384;

    private static final long TTL_NS = TTL.toNanos();

    private final LinkedHashMap<Long, DirEvent.IntentClosed> byTxid = new LinkedHashMap<>();

    /** The close of intent {@code txid}, or null when it is unknown (never closed here, or forgotten). */
    public DirEvent.IntentClosed of(long txid) {
        return byTxid.get(txid);
    }

    public int size() {
        return byTxid.size();
    }

    void apply(DirEvent.IntentClosed closed) {
        byTxid.remove(closed.txid());
        byTxid.put(closed.txid(), closed);
        long oldest = closed.nowNs() - TTL_NS;
        Iterator<DirEvent.IntentClosed> it = byTxid.values().iterator();
        while (it.hasNext()) {
            DirEvent.IntentClosed eldest = it.next();
            if (byTxid.size() <= MAX && eldest.nowNs() >= oldest) {
                return;
            }
            it.remove();
        }
    }

    /** The entries, oldest close first (the order {@link #restore} needs). */
    List<DirEvent.IntentClosed> snapshot() {
        return new ArrayList<>(byTxid.values());
    }

    void restore(List<DirEvent.IntentClosed> closes) {
        byTxid.clear();
        for (DirEvent.IntentClosed c : closes) {
            byTxid.put(c.txid(), c);
        }
    }
}
