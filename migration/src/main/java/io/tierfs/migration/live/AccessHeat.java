package io.tierfs.migration.live;

import io.tierfs.migration.policy.Heat;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The live access counter behind the policy's heat: every open counts, and reads and writes count at most once per
 * file per {@link #IO_DEBOUNCE_MILLIS} (a sequential read of a large file arrives as hundreds of 128 KiB requests,
 * which is one access to the user). Re-reads from the kernel page cache reach only open, so open must count.
 * Heat decays with the current policy's half-life; in memory only (a restart starts cold).
 */
public final class AccessHeat {
    public static final long IO_DEBOUNCE_MILLIS = 1000;

    /** One file's counters. */
    public record Stat(Heat heat, long accesses, long lastCountedMillis) {
    }

    private final ConcurrentHashMap<Long, Stat> stats = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong counted = new java.util.concurrent.atomic.AtomicLong();
    private final Clock clock;
    private final LongSupplier halfLifeMillis;

    public AccessHeat(Clock clock, LongSupplier halfLifeMillis) {
        this.clock = clock;
        this.halfLifeMillis = halfLifeMillis;
    }

    /** An open (always counted). */
    public void opened(long ino) {
        count(ino, false);
    }

    /** A read or write request (counted unless the file was counted within the debounce window). */
    public void io(long ino) {
        count(ino, true);
    }

    private void count(long ino, boolean debounce) {
        long now = clock.millis();
        Stat s = stats.get(ino);
        if (debounce && s != null && now - s.lastCountedMillis() < IO_DEBOUNCE_MILLIS) {
            return;
        }
        long hl = halfLifeMillis.getAsLong();
        counted.incrementAndGet();
        stats.merge(ino, new Stat(new Heat(1, now), 1, now),
                (old, one) -> new Stat(old.heat().touched(now, hl, 1), old.accesses() + 1, now));
    }

    /** How many accesses were counted so far, over all files (the mover skips rounds nothing can have changed). */
    public long counted() {
        return counted.get();
    }

    /** The counters of {@code ino}; null if never accessed since start. */
    public Stat get(long ino) {
        return stats.get(ino);
    }

    public void forget(long ino) {
        stats.remove(ino);
    }
}
