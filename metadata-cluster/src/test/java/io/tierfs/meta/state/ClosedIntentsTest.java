package io.tierfs.meta.state;

import io.tierfs.common.FileType;
import io.tierfs.common.InodeRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A source directory answers what became of its renames by txid (pending, done, undone, unknown), for a coordinator
 * that handed its rename over to the re-drive; the table is bounded and identical after snapshot and replay.
 */
class ClosedIntentsTest {
    private static final long DIR = 2000;
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();
    private long now = 1_000;
    private final DirState s = new DirState(DIR);
    private final List<DirEvent> journal = new ArrayList<>();

    private Object run(DirCommand c) {
        Decision d = DirLogic.decide(s, c, ++now);
        d.events().forEach(e -> {
            s.apply(e);
            journal.add(e);
        });
        return d.reply();
    }

    private Replies.RenameState outcome(long txid) {
        Replies.RenameOutcome o = (Replies.RenameOutcome) run(new DirCommand.RenameOutcome(txid));
        assertEquals(txid, o.txid());
        return o.state();
    }

    private RenameIntent begin(long txid, String name, long ino) {
        Replies.Entry e = (Replies.Entry) run(new DirCommand.CreateInode(name, ino, FileType.REGULAR, 0644, 1, 1,
                null, true));
        RenameIntent i = RenameIntent.of(txid, name, e.dentry(), 3000, name + ".moved", null);
        run(new DirCommand.BeginDirRename(i));
        return i;
    }

    @Test
    void answersPendingDoneUndoneAndUnknown() {
        run(new DirCommand.InitDir(InodeRef.ROOT_INO, 0755, 0, 0));
        assertEquals(Replies.RenameState.UNKNOWN, outcome(77));
        begin(77, "a", 5000);
        begin(78, "b", 5001);
        assertEquals(Replies.RenameState.PENDING, outcome(77));
        run(new DirCommand.CloseDirRename(77, true));
        run(new DirCommand.CloseDirRename(78, false));
        assertEquals(Replies.RenameState.DONE, outcome(77));
        assertEquals(Replies.RenameState.UNDONE, outcome(78));
        run(new DirCommand.CloseDirRename(77, false));   // a late driver's close: a no-op, the outcome stays
        assertEquals(Replies.RenameState.DONE, outcome(77));
        assertEquals(Replies.RenameState.UNKNOWN, outcome(79));

        DirState fromSnapshot = DirState.fromSnapshot(s.snapshot());
        DirState replayed = new DirState(DIR);
        journal.forEach(replayed::apply);
        for (DirState other : List.of(fromSnapshot, replayed)) {
            assertEquals(s.closedIntents().snapshot(), other.closedIntents().snapshot());
        }
    }

    @Test
    void forgetsClosesOlderThanTheTtlOrBeyondTheBound() {
        ClosedIntents t = new ClosedIntents();
        t.apply(new DirEvent.IntentClosed(1, true, 0));
        t.apply(new DirEvent.IntentClosed(2, false, 5 * MINUTE));
        t.apply(new DirEvent.IntentClosed(3, true, 10 * MINUTE + 1));
        assertNull(t.of(1), "closed more than ten minutes before the newest close");
        assertNotNull(t.of(2));
        for (int i = 0; i < ClosedIntents.MAX; i++) {
            t.apply(new DirEvent.IntentClosed(100 + i, true, 11 * MINUTE));
        }
        assertEquals(ClosedIntents.MAX, t.size());
        assertNull(t.of(2));
        assertNull(t.of(3));
        assertNotNull(t.of(100));
    }

    @Test
    void aSnapshotWithoutTheTableRestoresAnEmptyOne() {
        run(new DirCommand.InitDir(InodeRef.ROOT_INO, 0755, 0, 0));
        begin(77, "a", 5000);
        run(new DirCommand.CloseDirRename(77, true));
        DirSnapshot n = s.snapshot();
        DirSnapshot old = new DirSnapshot(n.ino(), n.initialized(), n.parent(), n.self(), n.subdirs(), n.removing(),
                n.removed(), n.entries(), n.homed(), n.intents(), n.answers(), null);
        assertEquals(0, DirState.fromSnapshot(old).closedIntents().size());
    }
}
