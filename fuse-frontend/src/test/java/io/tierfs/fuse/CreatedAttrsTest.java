package io.tierfs.fuse;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window in which the kernel may hold a new file's attributes, on a clock the test moves. */
class CreatedAttrsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CreatedAttrs c = new CreatedAttrs(now::get);

    @Test
    void onlyTheFgetattrOfTheCreateInProgressBuildsACreateReply() {
        assertFalse(c.isCreateReply(7), "no create in progress");
        c.creating(7);
        assertFalse(c.isCreateReply(8), "another handle's fstat");
        assertTrue(c.isCreateReply(7));
        assertFalse(c.isCreateReply(7), "a later fstat of the same handle is a plain one");
    }

    @Test
    void aLinkWaitsUntilTheCreateRepliesAttributesCanNoLongerBeCached() {
        c.replied(42);
        now.addAndGet(5_000_000L);
        assertEquals(CreatedAttrs.SETTLE_NANOS - 5_000_000L, c.waitBeforeLink(42));
        assertEquals(0, c.waitBeforeLink(43), "another file waits for nothing");
        now.addAndGet(CreatedAttrs.SETTLE_NANOS);
        assertEquals(0, c.waitBeforeLink(42), "settled");
        assertEquals(0, c.pending(), "and forgotten");
    }

    @Test
    void theLatestReplyOfAnInodeCounts() {
        c.replied(1);
        now.addAndGet(10_000_000L);
        c.replied(2);
        c.replied(1);
        assertEquals(CreatedAttrs.SETTLE_NANOS, c.waitBeforeLink(1));
        now.addAndGet(CreatedAttrs.SETTLE_NANOS - 10_000_000L);
        assertEquals(1, c.pending() - 1, "the first reply of inode 1 settled, the others not");
    }
}
