package io.tierfs.meta.state;

import io.tierfs.common.Attr;
import io.tierfs.common.FileType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The per-client answer table of a directory: latest answer per client, bounded, identical after replay. */
class AnswerTableTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private static DirState initialized() {
        DirState s = new DirState(42);
        s.apply(new DirEvent.Initialized(1, new Attr(42, FileType.DIRECTORY, 0755, 2, 0, 0, 0, T0, T0, T0)));
        return s;
    }

    private static DirEvent.Answered answer(String client, long seq, long nowNs) {
        return new DirEvent.Answered(client, seq, Boolean.TRUE, nowNs);
    }

    @Test
    void keepsTheLatestAnswerOfEachClient() {
        DirState s = initialized();
        s.apply(answer("a", 1, T0));
        s.apply(new DirEvent.Batch(List.of(new DirEvent.RemovingSet(false), answer("a", 2, T0 + 1))));
        s.apply(answer("b", 7, T0 + 2));
        assertEquals(2, s.answers().last("a").seq());
        assertEquals(7, s.answers().last("b").seq());
        assertNull(s.answers().last("c"));
        assertEquals(2, s.answers().size());
    }

    @Test
    void dropsAnswersOlderThanTheTtlByTheEventsOwnTime() {
        DirState s = initialized();
        s.apply(answer("old", 1, T0));
        s.apply(answer("mid", 1, T0 + 5 * MINUTE));
        s.apply(answer("old", 2, T0 + 6 * MINUTE));    // answered again: now the most recent
        s.apply(answer("new", 1, T0 + 14 * MINUTE));   // "mid" is 9 minutes old: kept
        assertEquals(3, s.answers().size());
        s.apply(answer("new", 2, T0 + 15 * MINUTE + 1));   // "mid" is now older than 10 minutes
        assertNull(s.answers().last("mid"));
        assertNotNull(s.answers().last("old"));
        s.apply(answer("new", 3, T0 + 17 * MINUTE));
        assertNull(s.answers().last("old"), "answered 11 minutes before the newest answer");
        assertEquals(1, s.answers().size());
    }

    @Test
    void keepsAtMostMaxClientsDroppingTheLeastRecentlyAnswered() {
        DirState s = initialized();
        int n = AnswerTable.MAX_CLIENTS + 100;
        for (int i = 0; i < n; i++) {
            s.apply(answer("c" + i, 1, T0 + i));
            if (i == 200) {
                s.apply(answer("c0", 2, T0 + i));   // c0 answered again: it moves behind c1..c200
            }
        }
        assertEquals(AnswerTable.MAX_CLIENTS, s.answers().size());
        assertNotNull(s.answers().last("c0"));
        assertNull(s.answers().last("c1"));
        assertNull(s.answers().last("c100"));
        assertNotNull(s.answers().last("c101"));
        assertNotNull(s.answers().last("c" + (n - 1)));
    }

    @Test
    void snapshotAndReplayGiveTheSameTable() {
        DirState live = initialized();
        List<DirEvent> events = new ArrayList<>();
        for (int i = 0; i < 3 * AnswerTable.MAX_CLIENTS; i++) {
            events.add(answer("c" + (i * 7919 % 5000), i, T0 + i * (MINUTE / 100)));
        }
        events.forEach(live::apply);
        DirState replayed = initialized();
        events.forEach(replayed::apply);
        DirSnapshot snap = live.snapshot();
        assertEquals(snap.answers(), replayed.snapshot().answers());
        assertEquals(snap.answers(), DirState.fromSnapshot(snap).snapshot().answers());
        // the restored table keeps the order, so it prunes exactly like the live one
        DirState restored = DirState.fromSnapshot(snap);
        DirEvent.Answered next = answer("late", 1, T0 + 3L * AnswerTable.MAX_CLIENTS * (MINUTE / 100));
        live.apply(next);
        restored.apply(next);
        assertEquals(live.snapshot().answers(), restored.snapshot().answers());
    }

    @Test
    void aGroupCommitKeepsOnlyEachClientsLatestAnswerAndAppliesTheSame() {
        List<DirEvent> batch = List.of(answer("a", 1, T0), new DirEvent.RemovingSet(true), answer("b", 1, T0 + 1),
                answer("a", 2, T0 + 2), new DirEvent.RemovingSet(false), answer("a", 3, T0 + 3));
        List<DirEvent> kept = AnswerTable.latestAnswersOnly(batch);
        assertEquals(List.of(new DirEvent.RemovingSet(true), answer("b", 1, T0 + 1), new DirEvent.RemovingSet(false),
                answer("a", 3, T0 + 3)), kept);
        DirState all = initialized();
        batch.forEach(all::apply);
        DirState compacted = initialized();
        kept.forEach(compacted::apply);
        assertEquals(all.snapshot(), compacted.snapshot());
        List<DirEvent> single = List.of(answer("a", 1, T0), answer("b", 1, T0));
        assertEquals(single, AnswerTable.latestAnswersOnly(single));
    }

    @Test
    void aSnapshotWithoutAnswersRestoresAnEmptyTable() {
        DirSnapshot s = initialized().snapshot();
        DirSnapshot old = new DirSnapshot(s.ino(), s.initialized(), s.parent(), s.self(), s.subdirs(), s.removing(),
                s.removed(), s.entries(), s.homed(), s.intents(), null, null);
        assertEquals(0, DirState.fromSnapshot(old).answers().size());
    }
}
