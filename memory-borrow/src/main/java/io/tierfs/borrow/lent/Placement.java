package io.tierfs.borrow.lent;

/**
 * Where one chunk's lent copy lies: its primary lender, an optional replica lender (a second copy of dirty data,
 * see {@code tierfs.lend.replicas}), the generation of the copy and the bytes it takes on each of them. Guarded by
 * its own monitor: the lent space changes it when a lender fails, a replica is promoted or the copy is deleted.
 */
final class Placement {
    String primary;
    String replica;
    long gen = -1;
    long bytes;
    boolean deleted;

    Placement(String primary, String replica) {
        this.primary = primary;
        this.replica = replica;
    }

    synchronized String primary() {
        return primary;
    }

    synchronized String replica() {
        return replica;
    }

    synchronized boolean on(String lender) {
        return lender.equals(primary) || lender.equals(replica);
    }
}
