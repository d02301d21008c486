package io.tierfs.node.data;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Read-ahead of files homed on another member: a sequential reader's requests (the kernel sends 128 KiB ones,
 * several at once with its 1 MiB read-ahead) are served from aligned {@link #WINDOW}-sized blocks fetched from the
 * home in one request each. One 1 MiB request across the data plane moves 1.7-1.8x the bytes per second of eight
 * 128 KiB ones on this VM ({@code bench dataplane --block}); requests of one block that arrive together wait for
 * the same fetch.
 * <p>
 * What a window may serve (close-to-open, docs/consistency.md): the file's windows are dropped, fetched or in
 * flight, on every open of the file on this member, every write, append, truncate or delete made here (after the
 * change is queued or applied, so that a later fetch waits for it or sees it) and every lock this member takes on
 * the file (as NFS revalidates at lock time): a read that starts after one of those never sees data fetched
 * before it. Random or small reads (under {@link #MIN_REQUEST}, or far from where the previous read of the file
 * ended) go to the home as they are, so nothing is amplified. At most {@code maxWindows} blocks are kept and the
 * read position of {@link #TRACKED_FILES} files, least recently used dropped first: memory stays bounded however
 * many files are read.
 */
final class ReadWindows {
    static final int WINDOW = 1 << 20;
    static final int MIN_REQUEST = 64 * 1024;
    static final int TRACKED_FILES = 4096;

    /**
     * A read of the home: fills {@code dst} from {@code offset}, after this member's queued writes there; returns
     * the bytes read (fewer only where the home has no more).
     */
    interface Fetch {
        int read(long ino, long offset, ByteBuffer dst);
    }

    private record Key(long ino, long block) {
    }

    private final int maxWindows;
    /** Fetched and in-flight blocks, least recently used first; guarded by itself, as is {@link #lastEnds}. */
    private final Map<Key, CompletableFuture<ByteBuffer>> windows;
    /** Where the previous read of each file ended (sequential detection). */
    private final Map<Long, Long> lastEnds = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > TRACKED_FILES;
        }
    };
    private final AtomicLong fetches = new AtomicLong();

    ReadWindows(int maxWindows) {
        if (maxWindows < 1) {
            throw new IllegalArgumentException("need room for at least one read window, not " + maxWindows);
        }
        this.maxWindows = maxWindows;
        this.windows = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, CompletableFuture<ByteBuffer>> eldest) {
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
        Key key = new Key(ino, block);
        CompletableFuture<ByteBuffer> w;
        boolean mine = false;
        synchronized (windows) {
            Long previousEnd = lastEnds.put(ino, offset + len);
            w = windows.get(key);
            if (w == null) {
                if (len < MIN_REQUEST || previousEnd == null || Math.abs(offset - previousEnd) > WINDOW) {
                    return -1;
                }
                w = new CompletableFuture<>();
                windows.put(key, w);
                mine = true;
            }
        }
        if (mine) {
            fetches.incrementAndGet();
            try {
                ByteBuffer data = ByteBuffer.allocate(WINDOW);
                int n = fetch.read(ino, blockStart, data);
                w.complete(data.clear().limit(Math.max(0, Math.min(n, WINDOW))));
            } catch (RuntimeException | Error e) {
                synchronized (windows) {
                    windows.remove(key, w);
                }
                w.completeExceptionally(e);
                return -1; // the caller's own read reports what is wrong with the home
            }
        }
        ByteBuffer data;
        try {
            data = w.join();
        } catch (CompletionException e) {
            return -1;
        }
        int from = (int) (offset - blockStart);
        int n = Math.max(0, Math.min(len, data.limit() - from));
        dst.put(data.duplicate().position(from).limit(from + n));
        return n;
    }

    /**
     * What this member did to {@code ino} (opened, changed, locked) makes every window of it fetched or in flight
     * before now unusable for reads that start after this call.
     */
    void invalidate(long ino) {
        synchronized (windows) {
            windows.keySet().removeIf(k -> k.ino() == ino);
        }
    }

    /** The file is gone: its windows and read position go too. */
    void forget(long ino) {
        synchronized (windows) {
            windows.keySet().removeIf(k -> k.ino() == ino);
            lastEnds.remove(ino);
        }
    }

    /** Blocks fetched so far (tests, status). */
    long fetches() {
        return fetches.get();
    }
}
