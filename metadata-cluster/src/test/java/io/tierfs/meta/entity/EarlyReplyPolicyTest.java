package io.tierfs.meta.entity;

import io.tierfs.common.Attr;
import io.tierfs.common.FileType;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Removal;
import io.tierfs.meta.state.Dentry;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.Replies;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only outcomes confined to the answering directory may be acknowledged before they are durable. */
class EarlyReplyPolicyTest {
    private static final Dentry FILE_HERE = new Dentry(5000, FileType.REGULAR, 100);
    private static final Dentry FILE_ELSEWHERE = new Dentry(5001, FileType.REGULAR, 200);
    private static final Dentry SUBDIR = new Dentry(5002, FileType.DIRECTORY, 5002);
    private static final Removal HOMED = new Removal(new InodeRef(5000, 100), (Attr) null, true);

    @Test
    void unlinkIsEarlyOnlyForANameHomedHere() {
        assertTrue(EarlyReplyPolicy.confined(new DirCommand.Unlink("a"), new Replies.Unlinked(FILE_HERE, HOMED)));
        assertFalse(EarlyReplyPolicy.confined(new DirCommand.Unlink("a"), new Replies.Unlinked(FILE_ELSEWHERE, null)));
        assertFalse(EarlyReplyPolicy.confined(new DirCommand.Unlink("a"), null));
    }

    @Test
    void localRenameIsEarlyUnlessItReplacedSomethingElsewhereOrADirectory() {
        DirCommand.RenameLocal mv = new DirCommand.RenameLocal("a", 1, "b", 0);
        assertTrue(EarlyReplyPolicy.confined(mv, new Replies.Replaced(null, null)));
        assertTrue(EarlyReplyPolicy.confined(mv, new Replies.Replaced(FILE_HERE, HOMED)));
        assertFalse(EarlyReplyPolicy.confined(mv, new Replies.Replaced(FILE_ELSEWHERE, null)));
        assertFalse(EarlyReplyPolicy.confined(mv, new Replies.Replaced(SUBDIR, null)));
    }

    @Test
    void multiDirectoryStepsNeverReplyEarly() {
        assertTrue(EarlyReplyPolicy.confined(new DirCommand.AddSubdir("d", 7), null));
        assertFalse(EarlyReplyPolicy.confined(new DirCommand.AdjustLink(5000, 1), null));
        assertFalse(EarlyReplyPolicy.confined(new DirCommand.AddRemote("x", FILE_ELSEWHERE), null));
        assertFalse(EarlyReplyPolicy.confined(new DirCommand.PutDentry("x", FILE_ELSEWHERE, 0), null));
        assertFalse(EarlyReplyPolicy.confined(new DirCommand.RemoveDentry("x", 5001), null));
        assertFalse(EarlyReplyPolicy.confined(new DirCommand.MarkRemoving(), null));
        assertFalse(EarlyReplyPolicy.confined(new DirCommand.InitDir(1, 0755, 0, 0), null));
        assertFalse(EarlyReplyPolicy.confined(new DirCommand.LinkLocal("x", 5000), null));
    }
}
