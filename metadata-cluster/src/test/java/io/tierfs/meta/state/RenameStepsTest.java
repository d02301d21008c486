package io.tierfs.meta.state;

import io.tierfs.common.Errno;
import io.tierfs.common.FileType;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.common.SetAttr;
import io.tierfs.common.Caller;
import io.tierfs.meta.api.Removal;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The directory's side of a cross-directory rename and of idempotent link drops, on the pure state machine. */
class RenameStepsTest {
    private static final long DIR = 2000;
    private long now = 1_000;
    private final DirState s = new DirState(DIR);

    private Object run(DirCommand c) {
        Decision d = DirLogic.decide(s, c, ++now);
        d.events().forEach(s::apply);
        return d.reply();
    }

    private int events(DirCommand c) {
        Decision d = DirLogic.decide(s, c, ++now);
        d.events().forEach(s::apply);
        return d.events().size();
    }

    private static void assertErrno(Errno errno, Runnable r) {
        FsException e = assertThrows(FsException.class, r::run);
        assertEquals(errno, e.errno(), e.getMessage());
    }

    private Dentry file(String name, long ino) {
        Replies.Entry e = (Replies.Entry) run(new DirCommand.CreateInode(name, ino, FileType.REGULAR, 0644, 1, 1,
                null, true));
        return e.dentry();
    }

    DirState init() {
        run(new DirCommand.InitDir(InodeRef.ROOT_INO, 0755, 0, 0));
        return s;
    }

    @Test
    void beginRemovesTheNameAndReservesItUntilTheClose() {
        init();
        Dentry f = file("f", 5000);
        long ctimeBefore = s.homed.get(5000L).attr().ctimeNs();
        RenameIntent i = RenameIntent.of(77, "f", f, 3000, "g", null);
        assertEquals(3, events(new DirCommand.BeginDirRename(i)), "intent, name removal, ctime");
        assertFalse(s.entries().containsKey("f"));
        assertTrue(s.homed.get(5000L).attr().ctimeNs() > ctimeBefore, "the moved file's ctime");
        assertEquals(1, s.homed.get(5000L).attr().nlink(), "the name in flight keeps its link");
        assertEquals(0, events(new DirCommand.BeginDirRename(i)), "a repeat is a no-op");
        assertEquals(List.of(i), s.pendingIntents());
        assertErrno(Errno.EBUSY, () -> run(new DirCommand.CreateInode("f", 5001, FileType.REGULAR, 0644, 1, 1, null, true)));
        assertErrno(Errno.EBUSY, () -> run(new DirCommand.PutDentry("f", new Dentry(9, FileType.REGULAR, 9), 0)));
        file("other", 5002);
        assertErrno(Errno.EBUSY, () -> run(new DirCommand.RenameLocal("other", 5002, "f", 0)));
        // undo: the name comes back, once
        assertEquals(true, run(new DirCommand.CloseDirRename(77, false)));
        assertEquals(f, s.entries().get("f"));
        assertTrue(s.pendingIntents().isEmpty());
        assertEquals(false, run(new DirCommand.CloseDirRename(77, false)));
        assertEquals(0, events(new DirCommand.CloseDirRename(77, true)));
        assertEquals(f, s.entries().get("f"));
    }

    @Test
    void doneCloseKeepsTheNameAwayAndADirectoryLeavesTheSubdirCount() {
        init();
        Dentry d = new Dentry(6000, FileType.DIRECTORY, 6000);
        run(new DirCommand.AddSubdir("d", 6000));
        assertEquals(3, s.dirAttr().nlink());
        RenameIntent i = RenameIntent.of(78, "d", d, 3000, "d", null);
        run(new DirCommand.BeginDirRename(i));
        assertEquals(2, s.dirAttr().nlink());
        assertErrno(Errno.EBUSY, () -> run(new DirCommand.MarkRemoving()));
        assertEquals(true, run(new DirCommand.CloseDirRename(78, true)));
        assertNull(s.entries().get("d"));
        assertEquals(2, s.dirAttr().nlink());
        file("d", 6001);   // free again
    }

    @Test
    void beginRefusesAStaleName() {
        init();
        file("f", 5000);
        RenameIntent stale = RenameIntent.of(79, "f", new Dentry(4999, FileType.REGULAR, DIR), 3000, "g", null);
        assertErrno(Errno.EAGAIN, () -> run(new DirCommand.BeginDirRename(stale)));
        RenameIntent gone = RenameIntent.of(80, "nothing", new Dentry(4999, FileType.REGULAR, DIR), 3000, "g", null);
        assertErrno(Errno.EAGAIN, () -> run(new DirCommand.BeginDirRename(gone)));
    }

    @Test
    void anIntentOfTheOldFormStillClosesWithItsName() {
        init();
        run(new DirCommand.AddSubdir("d", 6000));
        RenameIntent old = new RenameIntent(81, "d", 6000, 3000, "d", 0, null, null);
        s.apply(new DirEvent.IntentAdded(old));   // as replayed from a journal written before names left at begin
        assertEquals(FileType.DIRECTORY, old.moved().type());
        run(new DirCommand.CloseDirRename(81, true));
        assertFalse(s.entries().containsKey("d"));
    }

    @Test
    void aTokenedLinkDropAppliesOnceAndSurvivesASnapshot() {
        init();
        file("v", 5000);
        run(new DirCommand.LinkLocal("v2", 5000));
        Removal r = (Removal) run(new DirCommand.AdjustLink(5000, -1, 77));
        assertEquals(1, r.attr().nlink());
        assertEquals(0, events(new DirCommand.AdjustLink(5000, -1, 77)));
        DirState restored = DirState.fromSnapshot(s.snapshot());
        Decision again = DirLogic.decide(restored, new DirCommand.AdjustLink(5000, -1, 77), ++now);
        assertTrue(again.events().isEmpty(), "the token came back with the snapshot");
        assertEquals(1, ((Removal) again.reply()).attr().nlink());
        // untokened drops still count every time; old tokens go after KEEP_TOKENS newer ones
        run(new DirCommand.AdjustLink(5000, +1));
        run(new DirCommand.AdjustLink(5000, +1));
        for (int t = 1; t <= InodeRec.KEEP_TOKENS; t++) {
            run(new DirCommand.AdjustLink(5000, +1, 1000 + t));
        }
        assertEquals(3 + InodeRec.KEEP_TOKENS, s.homed.get(5000L).attr().nlink());
        assertEquals(1, events(new DirCommand.AdjustLink(5000, -1, 77)), "forgotten after 16 newer tokens");
    }

    @Test
    void setattrWithoutChangesOnlyTouchesCtime() {
        init();
        file("f", 5000);
        var before = s.homed.get(5000L).attr();
        run(new DirCommand.SetAttrs(5000, new SetAttr(null, null, null, null, null, null), Caller.ROOT));
        var after = s.homed.get(5000L).attr();
        assertEquals(before.withTimes(before.atimeNs(), before.mtimeNs(), after.ctimeNs()), after);
        assertTrue(after.ctimeNs() > before.ctimeNs());
    }
}
