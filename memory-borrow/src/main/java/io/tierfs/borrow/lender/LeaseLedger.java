package io.tierfs.borrow.lender;

import io.tierfs.borrow.ByteSizes;
import io.tierfs.borrow.LendSettings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One lender's leases: what it granted to whom, what it is taking back, and by when. Pure bookkeeping with an
 * injected clock; it sends nothing (the caller delivers the {@link RecallOrder}s it returns). Not thread-safe: one
 * owner (the lender's actor) calls it.
 *
 * <p>Rules:
 * <ul>
 *   <li>A grant is rounded up to the lease size, and cut down (to a multiple of the lease size) to what the offer
 *       leaves: {@code offered - granted}, where granted includes leases being recalled. Nothing is granted while a
 *       recall is in progress, while the offer is {@linkplain Offer#holding() holding} (recovering from pressure),
 *       or after {@link #recallAll} until {@link #reopen()}.</li>
 *   <li>When the offer falls below the active (not yet recalled) leases, the most recently granted leases are
 *       recalled until the active ones fit: the newest leases were filled last and hold the least data, the
 *       oldest borrowers keep what they rely on, and the order is predictable. Deadline: now + recall-deadline.</li>
 *   <li>{@link #recallAll} recalls every active lease with the caller's deadline and tightens the deadline of
 *       recalls already running when the new one is earlier.</li>
 * </ul>
 * Invariant (checked by the property test): active leases never exceed the offer; all leases exceed it only while
 * a recall is in progress to fix it.
 */
public final class LeaseLedger {
    private final String lender;
    private final long leaseSize;
    private final Duration recallDeadline;
    private final Clock clock;
    private final Map<Long, Lease> leases = new LinkedHashMap<>(); // grant order
    private final Map<Long, RecallOrder> recalls = new LinkedHashMap<>(); // issue order
    private Offer offer = Offer.NONE;
    private RecallReason closedBy;
    private long nextId;

    /** A ledger whose lease ids start at 1. */
    public LeaseLedger(String lender, LendSettings settings, Clock clock) {
        this(lender, settings, clock, 1);
    }

    /**
     * @param firstLeaseId the first id to hand out (a restarted lender continues above the ids it used before)
     */
    public LeaseLedger(String lender, LendSettings settings, Clock clock, long firstLeaseId) {
        this.lender = lender;
        this.leaseSize = settings.leaseSizeBytes();
        this.recallDeadline = settings.recallDeadline();
        this.clock = clock;
        this.nextId = firstLeaseId;
    }

    public String lender() {
        return lender;
    }

    /** The last offer given to {@link #offerChanged}. */
    public Offer offer() {
        return offer;
    }

    /**
     * Grants {@code borrower} a lease of {@code wantBytes} rounded up to the lease size, or less (a multiple of the
     * lease size) if the offer leaves less; empty when nothing can be granted (see {@link #refusal()}).
     */
    public Optional<Lease> grant(String borrower, long wantBytes) {
        if (borrower == null || borrower.isBlank()) {
            throw new IllegalArgumentException("a lease needs a borrower");
        }
        if (wantBytes <= 0) {
            throw new IllegalArgumentException("a lease needs a positive size, got " + wantBytes);
        }
        if (refusal().isPresent()) {
            return Optional.empty();
        }
        long rounded = wantBytes > Long.MAX_VALUE - leaseSize ? Long.MAX_VALUE / leaseSize * leaseSize
                : (wantBytes + leaseSize - 1) / leaseSize * leaseSize;
        long room = Math.max(0, offer.offeredBytes() - grantedBytes());
        long bytes = Math.min(rounded, room / leaseSize * leaseSize);
        if (bytes <= 0) {
            return Optional.empty();
        }
        Lease lease = new Lease(nextId++, borrower, bytes, LeaseState.ACTIVE, clock.instant());
        leases.put(lease.id(), lease);
        return Optional.of(lease);
    }

    /** Why {@link #grant} gives nothing now, if so (the offer may still be too small when empty). */
    public Optional<String> refusal() {
        if (closedBy == RecallReason.LEAVING) {
            return Optional.of(lender + " is leaving the cluster");
        }
        if (closedBy != null) {
            return Optional.of(lender + " was reclaimed (" + closedBy + ") and lends nothing until reopened");
        }
        if (!recalls.isEmpty()) {
            return Optional.of(lender + " has " + recalls.size() + " recall(s) in progress");
        }
        if (offer.holding()) {
            return Optional.of(lender + " is recovering from memory pressure (MemAvailable "
                    + ByteSizes.human(offer.memAvailableBytes()) + ")");
        }
        return Optional.empty();
    }

    /**
     * Takes a new offer; if the active leases exceed it, recalls the newest ones until they fit, reason
     * {@link RecallReason#PRESSURE}, deadline now + recall-deadline. Returns the new recall orders only.
     */
    public List<RecallOrder> offerChanged(Offer newOffer) {
        this.offer = newOffer;
        long excess = activeBytes() - newOffer.offeredBytes();
        if (excess <= 0) {
            return List.of();
        }
        List<Lease> newestFirst = new ArrayList<>(leases.values());
        java.util.Collections.reverse(newestFirst);
        Instant now = clock.instant();
        Instant deadline = now.plus(recallDeadline);
        List<RecallOrder> out = new ArrayList<>();
        for (Lease l : newestFirst) {
            if (excess <= 0) {
                break;
            }
            if (l.state() == LeaseState.ACTIVE) {
                out.add(recall(l, RecallReason.PRESSURE, now, deadline));
                excess -= l.bytes();
            }
        }
        return out;
    }

    /**
     * Recalls every active lease ({@link RecallReason#OPERATOR} or {@link RecallReason#LEAVING}) with the given
     * deadline and lends nothing more until {@link #reopen()}. Returns the new orders and, for recalls already
     * running whose deadline was later, the same orders with the earlier deadline.
     */
    public List<RecallOrder> recallAll(RecallReason reason, Duration deadline) {
        if (reason == RecallReason.RETURNED) {
            throw new IllegalArgumentException("RETURNED is not a recall reason");
        }
        if (deadline.isNegative()) {
            throw new IllegalArgumentException("a recall deadline must not be negative, got " + deadline);
        }
        if (closedBy != RecallReason.LEAVING) {
            closedBy = reason;
        }
        Instant now = clock.instant();
        Instant due = now.plus(deadline);
        List<RecallOrder> out = new ArrayList<>();
        for (RecallOrder r : List.copyOf(recalls.values())) {
            if (r.deadline().isAfter(due)) {
                RecallOrder tighter = r.withDeadline(due);
                recalls.put(r.leaseId(), tighter);
                out.add(tighter);
            }
        }
        for (Lease l : List.copyOf(leases.values())) {
            if (l.state() == LeaseState.ACTIVE) {
                out.add(recall(l, reason, now, due));
            }
        }
        return out;
    }

    /** Lends again after an operator's recall (e.g. the job that needed the node ended); not after LEAVING. */
    public void reopen() {
        if (closedBy == RecallReason.LEAVING) {
            throw new IllegalStateException(lender + " is leaving the cluster and cannot lend again");
        }
        closedBy = null;
    }

    private RecallOrder recall(Lease l, RecallReason reason, Instant now, Instant deadline) {
        leases.put(l.id(), l.recalling(now));
        RecallOrder order = new RecallOrder(lender, l.id(), l.borrower(), l.bytes(), reason, now, deadline);
        recalls.put(l.id(), order);
        return order;
    }

    /**
     * The borrower emptied lease {@code leaseId} and gave it back (after a recall, or on its own).
     *
     * @throws UnknownLeaseException if the ledger does not hold that lease (e.g. a retried release)
     */
    public RecallReport released(long leaseId, ReleaseStats stats) {
        Lease lease = leases.remove(leaseId);
        if (lease == null) {
            throw new UnknownLeaseException(lender, leaseId);
        }
        RecallOrder order = recalls.remove(leaseId);
        Instant now = clock.instant();
        if (order == null) {
            return new RecallReport(lender, leaseId, lease.borrower(), lease.bytes(), RecallReason.RETURNED, now, now,
                    now, stats);
        }
        return new RecallReport(lender, leaseId, lease.borrower(), lease.bytes(), order.reason(), order.issuedAt(),
                order.deadline(), now, stats);
    }

    /** Every recall whose deadline has passed and whose lease is not released yet, oldest first. */
    public List<RecallOrder> overdue() {
        Instant now = clock.instant();
        return recalls.values().stream().filter(r -> r.overdue(now)).toList();
    }

    /** A borrower left the cluster: its leases are freed (its chunks there are gone with it). */
    public List<Lease> borrowerGone(String borrower) {
        List<Lease> gone = leases.values().stream().filter(l -> l.borrower().equals(borrower)).toList();
        for (Lease l : gone) {
            leases.remove(l.id());
            recalls.remove(l.id());
        }
        return gone;
    }

    /** All leases, in grant order. */
    public List<Lease> leases() {
        return List.copyOf(leases.values());
    }

    /** The recalls in progress, in issue order. */
    public List<RecallOrder> recalls() {
        return List.copyOf(recalls.values());
    }

    /** All leased bytes, recalling leases included. */
    public long grantedBytes() {
        return leases.values().stream().mapToLong(Lease::bytes).sum();
    }

    /** Bytes in leases not being recalled. */
    public long activeBytes() {
        return leases.values().stream().filter(l -> l.state() == LeaseState.ACTIVE).mapToLong(Lease::bytes).sum();
    }

    public LenderStatus status() {
        Instant now = clock.instant();
        Map<String, Long> per = new TreeMap<>();
        for (Lease l : leases.values()) {
            per.merge(l.borrower(), l.bytes(), Long::sum);
        }
        List<LenderStatus.Recall> rs = recalls.values().stream()
                .sorted(Comparator.comparing(RecallOrder::issuedAt))
                .map(r -> new LenderStatus.Recall(r, r.age(now), r.overdue(now)))
                .toList();
        long recalling = grantedBytes() - activeBytes();
        return new LenderStatus(lender, offer, grantedBytes(), recalling, java.util.Collections.unmodifiableMap(per),
                rs, refusal());
    }
}
