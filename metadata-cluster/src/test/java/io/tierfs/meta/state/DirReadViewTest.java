package io.tierfs.meta.state;

import io.tierfs.common.Errno;
import io.tierfs.common.FileType;
import io.tierfs.common.FsException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers in other threads see every command the owner applied before it "acknowledged" it, and read consistent
 * entries while the owner keeps changing the directory (creates, and a rename back and forth).
 */
class DirReadViewTest {
    private static final long DIR = 100;

    @Test
    void readersSeeEveryAcknowledgedCommandAndNoHalfOfOne() throws Exception {
        DirState s = new DirState(DIR);
        DirReadView view = new DirReadView(s);
        long[] now = {0};
        java.util.function.Function<DirCommand, Object> owner = c -> {
            Decision d = DirLogic.decide(s, c, ++now[0]);
            view.apply(d.events());
            return d.reply();
        };
        owner.apply(new DirCommand.InitDir(1, 0755, 0, 0));
        owner.apply(new DirCommand.CreateInode("moving-a", 999, FileType.REGULAR, 0644, 0, 0, null, true));
        int files = 20_000;
        AtomicLong acked = new AtomicLong(-1);   // the last file whose create returned to the owner's caller
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(pool.submit(() -> {
                    long reads = 0;
                    while (!done.get()) {
                        long n = acked.get();
                        if (n >= 0) {
                            Replies.Entry e = (Replies.Entry) view.read(new DirCommand.Lookup("f" + n));
                            assertEquals(1000 + n, e.dentry().ino(), "acknowledged create f" + n);
                            assertNotNull(e.attr());
                        }
                        // the renamed name, wherever it is, is complete (dentry and homed inode)
                        for (String name : List.of("moving-a", "moving-b")) {
                            Replies.Entry m = lookupOrNull(view, name);
                            if (m != null) {
                                assertEquals(999, m.dentry().ino());
                                assertEquals(999, m.attr().ino());
                            }
                        }
                        Long parent = (Long) view.read(new DirCommand.GetParent());
                        assertEquals(1L, parent);
                        reads++;
                    }
                    return reads;
                }));
            }
            for (int i = 0; i < files; i++) {
                owner.apply(new DirCommand.CreateInode("f" + i, 1000 + i, FileType.REGULAR, 0644, 0, 0, null, true));
                acked.set(i);
                boolean atA = i % 2 == 0;
                owner.apply(new DirCommand.RenameLocal(atA ? "moving-a" : "moving-b", 999,
                        atA ? "moving-b" : "moving-a", 0));
            }
            done.set(true);
            for (Future<Long> r : readers) {
                assertNotEquals(0L, r.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        FsException e = assertThrows(FsException.class, () -> view.read(new DirCommand.Lookup("nope")));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(DirReadView.serves(new DirCommand.GetAttr(DIR)));
        assertTrue(!DirReadView.serves(new DirCommand.Readdir(null, 10)), "readdir is not served by the view");
    }

    private static Replies.Entry lookupOrNull(DirReadView view, String name) {
        try {
            return (Replies.Entry) view.read(new DirCommand.Lookup(name));
        } catch (FsException e) {
            assertEquals(Errno.ENOENT, e.errno());
            return null;
        }
    }
}
