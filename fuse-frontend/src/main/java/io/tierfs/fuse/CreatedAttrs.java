package io.tierfs.fuse;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * Lets the kernel keep a new file's attributes from its CREATE reply for a moment, and makes that safe.
 * <p>
 * Why: file attributes are otherwise never cached (see {@link LibfuseConfig}), so right after CREATE the kernel
 * sends a GETATTR of the new file for open's permission check (default_permissions): one of the six round trips
 * of a create. A CREATE reply whose attributes are valid for {@link #TIMEOUT_SEC} (one jiffy once the kernel
 * rounds it) answers that check from the cache.
 * <p>
 * The danger of caching a file's attributes is a hard link: libfuse 2 gives the new name a kernel inode of its
 * own, and the first name's cached nlink stays 1. So a link to a file created less than {@link #SETTLE_NANOS}
 * ago (two jiffies at HZ=100, with margin) first waits until the kernel's copy has expired: a stat after the link
 * then asks us. Every other change of a file with one name goes through its own kernel inode, which updates its
 * cache; so only replies for a file with nlink 1 are cached (an O_CREAT open of an existing hard-linked file is not).
 * Single-threaded loop only (the timeout is set per reply in libfuse's shared config), single node only.
 */
final class CreatedAttrs {
    /** Attribute timeout of a CREATE reply: 1 ms, rounded up by the kernel to one jiffy. */
    static final double TIMEOUT_SEC = 0.001;
    /** How long after its CREATE reply a file's cached attributes may still be used by the kernel, at most. */
    static final long SETTLE_NANOS = 25_000_000L;

    private final LongSupplier nanoTime;
    private long creatingFh = -1;
    /** {ino, settled-at nanos} of recent CREATE replies, oldest first. */
    private final ArrayDeque<long[]> recent = new ArrayDeque<>();

    CreatedAttrs(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The handle of the create in progress; its fgetattr builds the CREATE reply. */
    synchronized void creating(long fh) {
        creatingFh = fh;
    }

    /** True once, for the fgetattr of the create in progress. */
    synchronized boolean isCreateReply(long fh) {
        boolean yes = fh == creatingFh && fh >= 0;
        if (yes) {
            creatingFh = -1;
        }
        return yes;
    }

    /** The CREATE reply of {@code ino} carried cached attributes. */
    synchronized void replied(long ino) {
        long now = nanoTime.getAsLong();
        purge(now);
        recent.addLast(new long[]{ino, now + SETTLE_NANOS});
    }

    /** Nanoseconds a link to {@code ino} must wait for the kernel's cached attributes of it to expire (0: none). */
    synchronized long waitBeforeLink(long ino) {
        long now = nanoTime.getAsLong();
        purge(now);
        long until = 0;
        for (long[] r : recent) {
            if (r[0] == ino) {
                until = Math.max(until, r[1]);
            }
        }
        return until == 0 ? 0 : Math.max(0, until - now);
    }

    /** Entries still within their window (tests). */
    synchronized int pending() {
        purge(nanoTime.getAsLong());
        return recent.size();
    }

    private void purge(long now) {
        while (!recent.isEmpty() && recent.peekFirst()[1] - now <= 0) {
            recent.removeFirst();
        }
    }
}
