package io.tierfs.borrow.lender;

/**
 * What a lender offers at one reading of its memory.
 *
 * @param offeredBytes   the most its borrowers may hold in leases, already lent memory included
 * @param pressure       MemAvailable is below the reserve: the lender's own jobs need memory back
 * @param shortfallBytes how far MemAvailable is below the reserve (0 without pressure)
 * @param holding        the lender is recovering from pressure: it grants no new lease until MemAvailable passes
 *                       reserve + hysteresis (true whenever {@code pressure} is)
 * @param memAvailableBytes the reading this offer was computed from
 */
public record Offer(long offeredBytes, boolean pressure, long shortfallBytes, boolean holding, long memAvailableBytes) {

    public Offer {
        if (offeredBytes < 0 || shortfallBytes < 0) {
            throw new IllegalArgumentException("offer and shortfall must not be negative: " + offeredBytes + ", " + shortfallBytes);
        }
        if (pressure != (shortfallBytes > 0)) {
            throw new IllegalArgumentException("pressure iff shortfall > 0, got pressure=" + pressure + " shortfall=" + shortfallBytes);
        }
    }

    /** Nothing offered, no pressure: a lender before its first reading, or a disabled one. */
    public static final Offer NONE = new Offer(0, false, 0, false, 0);
}
