package io.tierfs.borrow.lender;

import io.tierfs.borrow.LendSettings;

/**
 * How much a lender offers, from one reading of MemAvailable and the memory its lent slabs occupy now. Pure
 * arithmetic plus one bit of state (whether it is recovering from pressure: the hysteresis); not thread-safe,
 * meant to be owned by the lender agent that polls the memory source.
 *
 * <p>With {@code A} = MemAvailable, {@code L} = bytes the lent slabs occupy now, {@code R} = reserve,
 * {@code H} = hysteresis and {@code C} = cap (unlimited when 0):
 * <pre>
 *   offered   = min(C, max(0, L + A - R))     (0 when lending is disabled)
 *   pressure  = A &lt; R
 *   shortfall = max(0, R - A)
 *   holding   = pressure, or (holding at the previous reading and A &lt;= R + H)
 * </pre>
 * Without pressure, {@code offered = min(C, L + (A - R))}: lent memory counts as lendable, because the lent slabs
 * are tmpfs pages that MemAvailable no longer includes; without {@code L +} every lease filled would lower the next
 * offer and recall itself. Under pressure the same formula gives {@code L - shortfall}: the level the leases must
 * come down to so that the lender's jobs get their reserve back. A {@link LeaseLedger} holding more than
 * {@code offered} recalls the difference; since a lease never holds more than its size, the recalled leases hold at
 * least the shortfall. While {@code holding}, the ledger grants nothing new (the hysteresis: a lender that just
 * had pressure lends again only once MemAvailable is above R + H), but it recalls only what exceeds the offer.
 *
 * <p>{@code L} must be the memory the lent slabs <em>occupy</em> ({@link io.tierfs.borrow.ShmUsage#logicalBytes}
 * of the lend directory), not the total of granted leases: an unfilled lease is still inside MemAvailable and
 * would be counted twice.
 */
public final class OfferPolicy {
    private final LendSettings settings;
    private final long reserveBytes;
    private boolean holding;

    /**
     * @param memTotalBytes the machine's MemTotal, to resolve a percentage reserve
     */
    public OfferPolicy(LendSettings settings, long memTotalBytes) {
        this.settings = settings;
        this.reserveBytes = settings.reserveBytes(memTotalBytes);
    }

    /** The reserve in bytes this policy keeps. */
    public long reserveBytes() {
        return reserveBytes;
    }

    /** Whether the last reading left the lender recovering from pressure. */
    public boolean holding() {
        return holding;
    }

    /** The offer for this reading; updates the hysteresis state. */
    public Offer offer(long memAvailableBytes, long bytesLentNow) {
        Offer o = compute(settings, reserveBytes, memAvailableBytes, bytesLentNow, holding);
        holding = o.holding();
        return o;
    }

    /** The formulas above, without state: {@code wasHolding} is the previous offer's {@link Offer#holding()}. */
    public static Offer compute(LendSettings s, long reserveBytes, long memAvailableBytes, long bytesLentNow,
                                boolean wasHolding) {
        if (memAvailableBytes < 0 || bytesLentNow < 0) {
            throw new IllegalArgumentException("memAvailable and bytesLentNow must not be negative: "
                    + memAvailableBytes + ", " + bytesLentNow);
        }
        boolean pressure = memAvailableBytes < reserveBytes;
        long shortfall = pressure ? reserveBytes - memAvailableBytes : 0;
        boolean holding = pressure || (wasHolding && memAvailableBytes <= satAdd(reserveBytes, s.hysteresisBytes()));
        if (!s.enabled()) {
            return new Offer(0, pressure, shortfall, holding, memAvailableBytes);
        }
        long offered = Math.max(0, satAdd(bytesLentNow, memAvailableBytes - reserveBytes));
        return new Offer(Math.min(s.effectiveCap(), offered), pressure, shortfall, holding, memAvailableBytes);
    }

    private static long satAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
