package io.tierfs.node.fsck;

import io.tierfs.common.FsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Carries out the safe repairs the checker decided, in {@link RepairAction#order()} (names before link counts
 * before inodes and chunks before directory structure), and reports each outcome. A failed action is reported
 * and the others go on: each is independent and idempotent, so a second run repairs what is left.
 */
public final class Repairer {
    private static final Logger LOG = LoggerFactory.getLogger(Repairer.class);

    private Repairer() {
    }

    public static List<Change> repair(List<Problem> problems, RepairTarget target, FsckProgress progress) {
        List<Problem> todo = new ArrayList<>();
        for (Problem p : problems) {
            if (p.repair().isPresent()) {
                todo.add(p);
            }
        }
        todo.sort(Comparator.comparingInt(p -> p.repair().orElseThrow().order()));
        progress.phase("repair", todo.size());
        List<Change> changes = new ArrayList<>(todo.size());
        int n = 0;
        for (Problem p : todo) {
            RepairAction a = p.repair().orElseThrow();
            String error = null;
            try {
                apply(a, target);
                LOG.info("fsck repair: {} {}: {}", p.kind().label(), p.subject(), a.describe());
            } catch (FsException e) {
                error = e.getMessage();
                LOG.warn("fsck repair of {} {} failed: {}", p.kind().label(), p.subject(), e.getMessage());
            }
            changes.add(new Change(p, a, error));
            progress.advance(++n);
        }
        progress.finish();
        return changes;
    }

    private static void apply(RepairAction a, RepairTarget t) {
        if (a instanceof RepairAction.RemoveDentry r) {
            t.removeDentry(r.dir(), r.name(), r.ino());
        } else if (a instanceof RepairAction.ReplaceDentry r) {
            // the good name first, under a temporary name, so that a crash never leaves the inode without a name
            // (the next fsck would take it for an orphan and free it)
            String temp = RepairAction.ReplaceDentry.temporaryName(r.ino());
            t.addDentry(r.dir(), temp, r.dentry());
            t.removeDentry(r.dir(), r.name(), r.ino());
            t.renameLocal(r.dir(), temp, r.ino(), r.name());
        } else if (a instanceof RepairAction.SetLinkCount r) {
            t.adjustLink(r.home(), r.ino(), r.to() - r.from());
        } else if (a instanceof RepairAction.RemoveInode r) {
            t.adjustLink(r.home(), r.ino(), -r.nlink());
            if (r.dataBytes() > 0) {
                t.deleteData(r.ino());
            }
        } else if (a instanceof RepairAction.FreeChunks r) {
            t.deleteData(r.ino());
        } else if (a instanceof RepairAction.SetParent r) {
            t.setParent(r.dir(), r.parent());
        } else if (a instanceof RepairAction.DiscardDir r) {
            t.discardDir(r.dir());
        } else if (a instanceof RepairAction.Reattach r) {
            long lf = t.lostAndFound();
            t.addSubdir(lf, RepairAction.Reattach.lostFoundName(r.dir()), r.dir());
            t.setParent(r.dir(), lf);
        } else {
            throw new IllegalArgumentException("unknown repair " + a);
        }
    }
}
