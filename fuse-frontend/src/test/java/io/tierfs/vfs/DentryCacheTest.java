package io.tierfs.vfs;

import io.tierfs.common.Attr;
import io.tierfs.common.Errno;
import io.tierfs.common.FileType;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Node;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The races of a cache that a second thread (the gateway, the mover's policy facts) fills while the FUSE thread
 * changes things: a load that started before a change must never leave its older answer behind.
 */
class DentryCacheTest {
    private static final long DIR = 7;
    private static final InodeRef FILE = new InodeRef(42, DIR);

    private static Attr file(long size) {
        return new Attr(FILE.ino(), FileType.REGULAR, 0644, 1, 0, 0, size, 0, 0, 0);
    }

    @Test
    void anAttributeLoadedBeforeASizeUpdateIsNotCachedAfterIt() {
        DentryCache c = new DentryCache(Duration.ofHours(1), 1000);
        // the lookup's load read size 0; meanwhile the FUSE thread recorded size 100 and invalidated the attribute
        c.lookup(DIR, "y", () -> {
            c.invalidateAttr(FILE.ino());
            return new Node(FILE, file(0));
        });
        assertEquals(100, c.attr(FILE, () -> file(100)).size(), "the stale size 0 must not have been cached");
    }

    @Test
    void aCompleteDirectoryStopsBeingCompleteWhenAnEntryIsDroppedOrInvalidated() {
        DentryCache c = new DentryCache(Duration.ofHours(1), 1000);
        c.markComplete(DIR);
        FsException e = assertThrows(FsException.class, () -> c.lookup(DIR, "nope", () -> {
            throw new AssertionError("a complete directory must not ask");
        }));
        assertEquals(Errno.ENOENT, e.errno());
        c.putEntry(DIR, "y", new Node(FILE, file(1)));
        assertTrue(c.isComplete(DIR));
        c.invalidateEntry(DIR, "y");
        assertFalse(c.isComplete(DIR), "an invalidated name may exist: ask again");
        assertEquals(FILE, c.lookup(DIR, "y", () -> new Node(FILE, file(1))).ref());
    }

    @Test
    void anEntryLoadUndoneByARacingChangeDropsTheCompleteFlag() {
        DentryCache c = new DentryCache(Duration.ofHours(1), 1000);
        long other = 8;
        c.lookup(other, "z", () -> {
            // while this load runs, a mutation in the same stripe lands and the directory is (re)marked complete
            c.putEntry(other, "z", new Node(new InodeRef(43, other), file(2)));
            c.markComplete(other);
            return new Node(new InodeRef(43, other), file(2));
        });
        // the load's own put was undone (its key changed meanwhile): the flag must not claim the name is absent
        assertEquals(43, c.lookup(other, "z", () -> new Node(new InodeRef(43, other), file(2))).ref().ino());
    }

    @Test
    void aCompleteDirectoryIsCompleteForOneTtlAtMost() {
        AtomicLong now = new AtomicLong(1_000);
        DentryCache c = new DentryCache(Duration.ofSeconds(1), 1000, now::get);
        c.markComplete(DIR);
        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertTrue(c.isComplete(DIR));
        now.addAndGet(Duration.ofMillis(1).toNanos());
        // in a cluster the names another member added meanwhile may be in a lost invalidation: ask once the TTL passed
        assertFalse(c.isComplete(DIR), "the flag may not outlive the TTL that bounds every cached answer");
        assertEquals(FILE, c.lookup(DIR, "y", () -> new Node(FILE, file(1))).ref());
    }
}
