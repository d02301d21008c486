package io.tierfs.meta.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Per client, the last answered mutating command of one directory: the request's sequence number and its reply
 * ({@link DirEvent.Answered}). Why: a client retries a command whose reply was lost (node failure, shard hand-off);
 * the retry must get the first answer, not be applied a second time (a second create answering EEXIST, nlink
 * adjusted twice). A client has at most one command outstanding, so its latest answer is all there is to keep.
 * <p>
 * Bounded deterministically, so that replay builds exactly the table that was live: entries are kept in the order
 * of their last answer, and each new answer drops the entries answered more than {@link #TTL} before it (by the
 * events' own time, not the wall clock) and the least recently answered clients beyond {@link #MAX_CLIENTS}. A
 * client retries for at most its ask deadline (about a minute), far below the TTL.
 */
public final class AnswerTable {
    /** How long an answer is kept after the client's last answered command in this directory. */
    public static final Duration TTL = Duration.ofMinutes(10);
    /** Most clients remembered per directory (a client is one thread of one gateway). */
    public static final int MAX_CLIENTS = 4096;

    private static final long TTL_NS = TTL.toNanos();

    private final LinkedHashMap<String, DirEvent.Answered> byClient = new LinkedHashMap<>();

    /** The last recorded answer of {@code client}, or null. */
    public DirEvent.Answered last(String client) {
        return byClient.get(client);
    }

    public int size() {
        return byClient.size();
    }

    void apply(DirEvent.Answered answer) {
        byClient.remove(answer.client());
        byClient.put(answer.client(), answer);
        long oldest = answer.nowNs() - TTL_NS;
        Iterator<DirEvent.Answered> it = byClient.values().iterator();
        while (it.hasNext()) {
            DirEvent.Answered eldest = it.next();
            if (byClient.size() <= MAX_CLIENTS && eldest.nowNs() >= oldest) {
                return;
            }
            it.remove();
        }
    }

    /**
     * {@code events} without the answers that a later answer to the same client in the same list replaces: once
     * the list is one journal row, only a client's latest answer can still be asked for (the client waits for
     * one request at a time), and applying the list gives the same table. A client that creates files one after
     * the other with early replies puts many answers in one group commit; this keeps one.
     */
    public static List<DirEvent> latestAnswersOnly(List<DirEvent> events) {
        Set<String> later = new HashSet<>();
        boolean dropped = false;
        boolean[] drop = new boolean[events.size()];
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i) instanceof DirEvent.Answered a && !later.add(a.client())) {
                drop[i] = true;
                dropped = true;
            }
        }
        if (!dropped) {
            return events;
        }
        List<DirEvent> kept = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            if (!drop[i]) {
                kept.add(events.get(i));
            }
        }
        return kept;
    }

    /** The entries, least recently answered first (the order {@link #restore} needs). */
    List<DirEvent.Answered> snapshot() {
        return new ArrayList<>(byClient.values());
    }

    void restore(List<DirEvent.Answered> answers) {
        byClient.clear();
        for (DirEvent.Answered a : answers) {
            byClient.put(a.client(), a);
        }
    }
}
