package io.tierfs.tier.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the primary copies' FileChannels open (opening a file per 1 MiB write would cost more than the write),
 * but at most {@code max} of them: the oldest opened is closed when the bound is passed, but only if its chunk's
 * write lock can be taken at once, so a channel is never closed under a reader or writer.
 */
final class ChannelCache {
    private static final Logger log = LoggerFactory.getLogger(ChannelCache.class);

    private final int max;
    private final ConcurrentLinkedQueue<Chunk> open = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();

    ChannelCache(int max) {
        this.max = max;
    }

    /** The primary's channel; the caller holds the chunk's read or write lock. */
    FileChannel channel(Chunk c, TierStore tier) throws IOException {
        FileChannel ch = c.channel;
        if (ch != null && ch.isOpen()) {
            return ch;
        }
        synchronized (c) {
            if (c.channel != null && !c.channel.isOpen()) {
                // closed under us by an interrupt of a thread that used it: reopen
                log.debug("{}: channel was closed (interrupted I/O?), reopening", c);
                open.remove(c);
                count.decrementAndGet();
                c.channel = null;
            }
            if (c.channel == null) {
                c.channel = tier.open(c.ino, c.index, c.gen, true);
                open.add(c);
                count.incrementAndGet();
            }
            ch = c.channel;
        }
        evictIfNeeded(c);
        return ch;
    }

    /** Closes the chunk's channel; the caller holds the chunk's write lock. */
    void close(Chunk c) {
        FileChannel ch = c.channel;
        if (ch == null) {
            return;
        }
        c.channel = null;
        open.remove(c);
        count.decrementAndGet();
        closeQuietly(c, ch);
    }

    private void evictIfNeeded(Chunk current) {
        int attempts = 4;
        while (count.get() > max && attempts-- > 0) {
            Chunk v = open.poll();
            if (v == null) {
                return;
            }
            if (v == current || v.lock.isWriteLockedByCurrentThread() || !v.lock.writeLock().tryLock()) {
                open.add(v);
                continue;
            }
            try {
                FileChannel ch = v.channel;
                if (ch != null) {
                    v.channel = null;
                    count.decrementAndGet();
                    closeQuietly(v, ch);
                }
            } finally {
                v.lock.writeLock().unlock();
            }
        }
    }

    int openCount() {
        return count.get();
    }

    private static void closeQuietly(Chunk c, FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            log.warn("{}: closing channel failed: {}", c, e.toString());
        }
    }
}
