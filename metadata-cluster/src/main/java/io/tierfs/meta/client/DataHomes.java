package io.tierfs.meta.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tierfs.meta.state.InoRange;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongFunction;

/**
 * Which cluster member is the data home of an inode (the member that reserved its number, see
 * {@link io.tierfs.meta.entity.AllocEntity}). Reserved ranges never change, so every answer is kept forever: known
 * ranges in a sorted map (one entry per 4096 numbers; the ranges this member reserves itself are learnt without a
 * query), numbers of no known range in a bounded Caffeine cache. Thread-safe.
 */
public final class DataHomes {
    private final LongFunction<InoRange> query;
    private final ConcurrentSkipListMap<Long, InoRange> ranges = new ConcurrentSkipListMap<>();
    private final Cache<Long, Boolean> unknown = Caffeine.newBuilder().maximumSize(100_000).build();

    /** @param query asks the allocator which range holds a number (blocking; may throw FsException) */
    public DataHomes(LongFunction<InoRange> query) {
        this.query = query;
    }

    /** A range whose member is known (e.g. one this member just reserved). */
    public void learn(InoRange r) {
        if (r.member() != null && r.count() > 0) {
            ranges.put(r.start(), r);
        }
    }

    /** The member that holds {@code ino}'s data; empty when unknown (data written before homes were recorded). */
    public Optional<String> homeOf(long ino) {
        InoRange r = cached(ino);
        if (r != null) {
            return Optional.of(r.member());
        }
        if (unknown.getIfPresent(ino) != null) {
            return Optional.empty();
        }
        InoRange answer = query.apply(ino);
        if (answer == null || answer.member() == null || !answer.contains(ino)) {
            unknown.put(ino, Boolean.TRUE);
            return Optional.empty();
        }
        learn(answer);
        return Optional.of(answer.member());
    }

    private InoRange cached(long ino) {
        Map.Entry<Long, InoRange> e = ranges.floorEntry(ino);
        return e != null && e.getValue().contains(ino) ? e.getValue() : null;
    }

    /** Ranges known so far (for tests and diagnostics). */
    public int knownRanges() {
        return ranges.size();
    }
}
