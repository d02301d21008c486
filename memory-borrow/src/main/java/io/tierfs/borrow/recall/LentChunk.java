package io.tierfs.borrow.recall;

/**
 * A chunk a borrower keeps on a lender that recalls its memory.
 *
 * @param dirty          written since its last copy to a durable tier
 * @param hasDurableCopy a durable tier holds a copy (possibly stale if {@code dirty})
 * @param replicaLender  another lender holding a second copy of this chunk, or null
 */
public record LentChunk(long ino, int index, long length, boolean dirty, boolean hasDurableCopy, String replicaLender) {

    public LentChunk {
        if (length < 0) {
            throw new IllegalArgumentException("chunk length must not be negative, got " + length);
        }
    }

    /**
     * Droppable at once: a durable copy exists and nothing was written since. A chunk that claims to be clean but has
     * no durable copy is treated as dirty: its only copy is here.
     */
    public boolean clean() {
        return !dirty && hasDurableCopy;
    }

    @Override
    public String toString() {
        return ino + "." + index;
    }
}
