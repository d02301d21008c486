package io.tierfs.meta.state;

/**
 * The cluster-wide lock of directory renames across directories, as a value: who holds it (the txid of a rename
 * intent; 0 = free), the source directory of that rename (where its intent is pending, so that a waiter can tell
 * a crashed holder's pending rename from a finished one) and until when (epoch ms of the lock entity's clock).
 * Pure; used by the lock entity and by the in-process lock.
 * <p>
 * Why the holder is a rename and not a client: every driver of one rename (its coordinator, the source
 * directory's re-drive after a crash or timeout) holds the lock as that rename, so a re-drive gets the lock of a
 * dead coordinator at once, while every other rename waits until the holder's intent is closed.
 */
public record RenameLease(long holder, long srcDir, long expiresAtMs) implements CborSerializable {
    public static final RenameLease FREE = new RenameLease(0, 0, 0);

    public boolean free() {
        return holder == 0;
    }

    public boolean expired(long nowMs) {
        return !free() && nowMs >= expiresAtMs;
    }

    /**
     * Whether rename {@code txid} may take the lock now: it is free, already held by {@code txid} (a renewal, or
     * another driver of the same rename), or held by {@code takeOver} whose lease has expired (the caller checked
     * that this rename's intent is not pending).
     */
    public boolean grants(long txid, long takeOver, long nowMs) {
        return free() || holder == txid || (takeOver != 0 && holder == takeOver && expired(nowMs));
    }

    /** The answer to an acquire that this lease refuses. */
    public LockAnswer busy(long nowMs) {
        return new LockAnswer(false, holder, srcDir, expired(nowMs));
    }

    /**
     * The lock entity's answer to an acquire.
     *
     * @param holder  when refused: the rename that holds the lock, with its source directory
     * @param expired when refused: the holder's lease has run out (a takeover is allowed if its intent is not
     *                pending)
     */
    public record LockAnswer(boolean granted, long holder, long holderSrcDir, boolean expired)
            implements CborSerializable {
        public static final LockAnswer GRANTED = new LockAnswer(true, 0, 0, false);
    }
}
