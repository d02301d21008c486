package io.tierfs.fuse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;

/**
 * The paths this mount recently answered as existing, so that a name another member removed since is answered
 * ESTALE once, not ENOENT.
 * <p>
 * Why: the kernel keeps a name it was given for the entry timeout (60 s) and, for an open(2) of it, checks the
 * permission first, with a GETATTR (attr_timeout=0). When the name is gone, ENOENT there ends the call: an
 * {@code open(O_CREAT)} on member B of a checkpoint that member A just removed failed with ENOENT, without ever
 * sending CREATE (kernel 6.18, seen with its fuse tracepoints: the GETATTR comes from may_open). ESTALE instead
 * makes the kernel walk the path again with LOOKUP_REVAL, whose LOOKUP finds the name gone, drops the dentry and
 * creates the file (or answers ENOENT to an open without O_CREAT, and to stat(2)).
 * <p>
 * Only once per name: libfuse 2's high-level API asks our getattr both for the kernel's GETATTR and for its
 * LOOKUP, and a LOOKUP answered ESTALE a second time would fail the retried call. A LOOKUP that revalidates a
 * dentry takes any error as "invalid" and a fresh one is retried once by the kernel, so one ESTALE is absorbed
 * wherever it lands. Two callers racing on the same removed name may see one ESTALE and one ENOENT (the second
 * one as before this class). Entries live as long as the kernel's entry timeout and are bounded in number; an
 * entry evicted early only brings back the plain ENOENT.
 */
final class KernelHeldNames {
    /** At most this many names remembered; beyond, the least recently answered ones are dropped. */
    static final long MAX_NAMES = 100_000;

    private final Cache<String, Boolean> held;

    KernelHeldNames(Duration entryTimeout, long maxNames, Ticker ticker) {
        this.held = Caffeine.newBuilder().maximumSize(maxNames).expireAfterWrite(entryTimeout).ticker(ticker)
                .executor(Runnable::run).build();
    }

    /** For a mount with the kernel's entry timeout of {@link LibfuseConfig#ENTRY_TIMEOUT}. */
    static KernelHeldNames forMount() {
        return new KernelHeldNames(Duration.ofMillis((long) (LibfuseConfig.ENTRY_TIMEOUT * 1000) + 1000), MAX_NAMES,
                Ticker.systemTicker());
    }

    /** The kernel was told that {@code path} exists. */
    void answered(String path) {
        if (path != null) {
            held.put(path, Boolean.TRUE);
        }
    }

    /**
     * {@code path} was not found: true (once) when the kernel may still hold it from an earlier answer, in which
     * case the caller answers ESTALE.
     */
    boolean goneSinceAnswered(String path) {
        return path != null && held.asMap().remove(path) != null;
    }
}
