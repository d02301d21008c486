package io.tierfs.vfs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A short-TTL Caffeine cache whose invalidations cannot be lost to a concurrent load: a loader that raced with an
 * invalidation of its key (seen through a striped version counter) undoes its own put. Without this a lookup that
 * started before an unlink could re-insert the removed name after the unlink invalidated it.
 */
final class VersionedCache<K, V> {
    private static final int STRIPES = 256;

    private final Cache<K, V> cache;
    private final AtomicLongArray versions = new AtomicLongArray(STRIPES);
    /** Bumped by every change of any key: for values loaded before their key is known (see {@link #putLoaded}). */
    private final AtomicLong epoch = new AtomicLong();
    private final BiConsumer<K, V> dropped;

    VersionedCache(Duration ttl, long maxSize, Ticker ticker) {
        this(ttl, maxSize, ticker, (k, v) -> { });
    }

    /**
     * @param dropped told of every entry dropped for size or age, or undone because its load raced with a change
     *                (not of explicit invalidations)
     */
    VersionedCache(Duration ttl, long maxSize, Ticker ticker, BiConsumer<K, V> dropped) {
        this.dropped = dropped;
        // Maintenance on the calling thread: the default (the common pool) woke a pool thread on every put, ~14 us
        // of futex wake-up per create on the FUSE thread (wall-clock profile).
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxSize).ticker(ticker)
                .executor(Runnable::run)
                .<K, V>evictionListener((k, v, cause) -> {
                    if (k != null && cause.wasEvicted()) {
                        dropped.accept(k, v);
                    }
                }).build();
    }

    /** The cached value, or the loader's answer (cached unless an invalidation of the key raced with the load). */
    V get(K key, Supplier<V> loader) {
        V v = cache.getIfPresent(key);
        if (v != null) {
            return v;
        }
        int stripe = stripe(key);
        long stamp = versions.get(stripe);
        v = loader.get();
        put(key, v, stripe, stamp);
        return v;
    }

    /**
     * As {@link #get}, but a loader failure with errno {@code absence} is cached too, as {@code marker}, and every
     * hit on it fails again with {@code absent}: the answer "there is none" costs no second round trip.
     */
    V getOrAbsent(K key, Supplier<V> loader, V marker, Errno absence, Supplier<FsException> absent) {
        V v = get(key, () -> {
            try {
                return loader.get();
            } catch (FsException e) {
                if (e.errno() == absence) {
                    return marker;
                }
                throw e;
            }
        });
        if (v == marker) {
            throw absent.get();
        }
        return v;
    }

    V getIfPresent(K key) {
        return cache.getIfPresent(key);
    }

    /**
     * Caches a value known to be current (the answer of a mutation this node just made). It counts as a change of
     * the key: a load that started before it (and may have seen the old state) undoes its own put.
     */
    void put(K key, V value) {
        int stripe = stripe(key);
        epoch.incrementAndGet();
        put(key, value, stripe, versions.incrementAndGet(stripe));
    }

    /** The current change epoch, read before loading a value whose key is only known afterwards. */
    long epoch() {
        return epoch.get();
    }

    /**
     * Caches {@code value}, loaded after {@link #epoch()} returned {@code before}, unless some key changed meanwhile
     * (then the value may predate that change, and it is dropped: a cache seed, not worth a stale answer).
     */
    void putLoaded(K key, V value, long before) {
        cache.put(key, value);
        if (epoch.get() != before) {
            cache.invalidate(key);
        }
    }

    private void put(K key, V value, int stripe, long stamp) {
        cache.put(key, value);
        if (versions.get(stripe) != stamp) {
            cache.invalidate(key);
            dropped.accept(key, value);
        }
    }

    void invalidate(K key) {
        versions.incrementAndGet(stripe(key));
        epoch.incrementAndGet();
        cache.invalidate(key);
    }

    void invalidateIf(Predicate<K> which) {
        for (int i = 0; i < STRIPES; i++) {
            versions.incrementAndGet(i);
        }
        epoch.incrementAndGet();
        cache.asMap().keySet().removeIf(which);
    }

    void invalidateAll() {
        for (int i = 0; i < STRIPES; i++) {
            versions.incrementAndGet(i);
        }
        epoch.incrementAndGet();
        cache.invalidateAll();
    }

    private static int stripe(Object key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
