package io.tierfs.borrow.lent;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One lender as a borrower sees it: where its data plane listens, how many bytes it lends us, how many of them our
 * chunks take, and whether we may place more there.
 */
final class LenderSlot {
    final String node;
    volatile InetSocketAddress address;
    volatile long leaseBytes;
    volatile SlotState state = SlotState.ACTIVE;
    final AtomicLong used = new AtomicLong();
    /** Whether stale copies of a previous run were collected since the lease was (re)granted. */
    volatile boolean reconciled;

    LenderSlot(String node, InetSocketAddress address, long leaseBytes) {
        this.node = node;
        this.address = address;
        this.leaseBytes = leaseBytes;
    }

    /** Takes {@code bytes} of the lease if they are free and the slot takes new data. */
    boolean tryTake(long bytes) {
        if (state != SlotState.ACTIVE) {
            return false;
        }
        while (true) {
            long u = used.get();
            if (u + bytes > leaseBytes) {
                return false;
            }
            if (used.compareAndSet(u, u + bytes)) {
                return true;
            }
        }
    }

    void give(long bytes) {
        used.addAndGet(-bytes);
    }

    /** Free lease bytes for new data (0 unless active). */
    long free() {
        return state == SlotState.ACTIVE ? Math.max(0, leaseBytes - used.get()) : 0;
    }

    @Override
    public String toString() {
        return node + "@" + address + " (" + state + ", " + used.get() + "/" + leaseBytes + " B)";
    }
}
