package io.tierfs.node.data;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Read-ahead of files homed on another member: a sequential reader's requests (the kernel sends 128 KiB ones,
 * several at once with its 1 MiB read-ahead) are served from aligned {@link #WINDOW}-sized blocks fetched from the
 * home in one request each. One 1 MiB request across the data plane moves 1.7-1.8x the bytes per second of eight
 * 128 KiB ones on this VM ({@code bench dataplane --block}); requests of one block that arrive together wait for
 * the same fetch.
 * <p>
 * What a window may serve (close-to-open, docs/consistency.md): every window carries the file's epoch when its
 * fetch began, and only a window of the current epoch is used. The epoch moves on every open of the file on this
 * member, every write, append, truncate or delete made here (after the change is queued or applied, so that a
 * fetch of the new epoch waits for it or sees it) and every lock this member takes on the file (as NFS revalidates
 * at lock time): a read never sees data older than the last of those. Random or small reads (under
 * {@link #MIN_REQUEST}, or far from where the previous read of the file ended) go to the home as they are, so
 * nothing is amplified. At most {@code maxWindows} blocks are kept, least recently used dropped first.
 */
final class ReadWindows {
    static final int WINDOW = 1 << 20;
    static final int MIN_REQUEST = 64 * 1024;

    /**
     * A read of the home: fills {@code dst} from {@code offset}, after this member's queued writes there; returns
     * the bytes read (fewer only where the home has no more).
     */
    interface Fetch {
        int read(long ino, long offset, ByteBuffer dst);
    }

    private record Key(long ino, long block) {
    }

    private record Window(long epoch, CompletableFuture<ByteBuffer> data) {
    }

    private final int maxWindows;
    private final Map<Key, Window> windows;
    private final ConcurrentHashMap<Long, AtomicLong> epochs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Long> lastEnds = new ConcurrentHashMap<>();
    private final AtomicLong fetches = new AtomicLong();

    ReadWindows(int maxWindows) {
        if (maxWindows < 1) {
            throw new IllegalArgumentException("need room for at least one read window, not " + maxWindows);
        }
        this.maxWindows = maxWindows;
        this.windows = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Window> eldest) {
                return size() > ReadWindows.this.maxWindows;
            }
        };
    }

    /**
     * Serves {@code dst} at {@code offset} from a window, fetching it if the read looks sequential, and returns the
     * bytes served (fewer where the home had no more); -1 (and {@code dst} untouched) when the read should go to
     * the home as it is.
     */
    int read(long ino, long offset, ByteBuffer dst, Fetch fetch) {
        int len = dst.remaining();
        long block = offset / WINDOW;
        long blockStart = block * WINDOW;
        if (len == 0 || offset + len > blockStart + WINDOW) {
            return -1;
        }
        Long previousEnd = lastEnds.put(ino, offset + len);
        long epoch = epoch(ino).get();
        Key key = new Key(ino, block);
        Window w;
        boolean mine = false;
        synchronized (windows) {
            w = windows.get(key);
            if (w == null || w.epoch() != epoch) {
                if (len < MIN_REQUEST || previousEnd == null || Math.abs(offset - previousEnd) > WINDOW) {
                    return -1;
                }
                w = new Window(epoch, new CompletableFuture<>());
                windows.put(key, w);
                mine = true;
            }
        }
        if (mine) {
            fetches.incrementAndGet();
            try {
                ByteBuffer data = ByteBuffer.allocate(WINDOW);
                int n = fetch.read(ino, blockStart, data);
                w.data().complete(data.clear().limit(Math.max(0, Math.min(n, WINDOW))));
            } catch (RuntimeException | Error e) {
                forget(key, w);
                w.data().completeExceptionally(e);
                return -1; // the caller's own read reports what is wrong with the home
            }
        }
        ByteBuffer data;
        try {
            data = w.data().join();
        } catch (CompletionException e) {
            return -1;
        }
        int from = (int) (offset - blockStart);
        int n = Math.max(0, Math.min(len, data.limit() - from));
        dst.put(data.duplicate().position(from).limit(from + n));
        return n;
    }

    /** What this member did to {@code ino} (opened, changed, locked) makes every window fetched before it stale. */
    void invalidate(long ino) {
        epoch(ino).incrementAndGet();
    }

    /** The file is gone: its windows and bookkeeping go too. */
    void forget(long ino) {
        invalidate(ino);
        lastEnds.remove(ino);
        synchronized (windows) {
            windows.keySet().removeIf(k -> k.ino() == ino);
        }
    }

    /** Blocks fetched so far (tests, status). */
    long fetches() {
        return fetches.get();
    }

    private void forget(Key key, Window w) {
        synchronized (windows) {
            windows.remove(key, w);
        }
    }

    private AtomicLong epoch(long ino) {
        return epochs.computeIfAbsent(ino, i -> new AtomicLong());
    }
}
