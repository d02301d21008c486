package io.tierfs.borrow.lender;

import io.tierfs.common.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.tierfs.borrow.lender.Fixtures.GIB;
import static io.tierfs.borrow.lender.Fixtures.MIB;
import static io.tierfs.borrow.lender.Fixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseLedgerTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final LeaseLedger ledger = new LeaseLedger("node-b", settings(0), clock);

    private static Offer offer(long bytes) {
        return new Offer(bytes, false, 0, false, 8 * GIB);
    }

    private static Offer pressure(long offered, long shortfall) {
        return new Offer(offered, true, shortfall, true, 3 * GIB);
    }

    @Test
    void nothingIsGrantedBeforeAnOffer() {
        assertTrue(ledger.grant("a", 1).isEmpty());
    }

    @Test
    void grantsAreRoundedToTheLeaseSizeAndNeverExceedTheOffer() {
        ledger.offerChanged(offer(GIB));
        Lease l1 = ledger.grant("a", 1).orElseThrow();
        assertEquals(256 * MIB, l1.bytes(), "rounded up to the lease size");
        assertEquals(LeaseState.ACTIVE, l1.state());
        Lease l2 = ledger.grant("b", 2 * GIB).orElseThrow();
        assertEquals(768 * MIB, l2.bytes(), "cut down to what the offer leaves");
        assertTrue(ledger.grant("c", 1).isEmpty(), "offer exhausted");
        assertEquals(GIB, ledger.grantedBytes());
        assertTrue(l2.id() > l1.id());
    }

    @Test
    void aRemainderBelowOneLeaseIsNotGranted() {
        ledger.offerChanged(offer(300 * MIB));
        assertEquals(256 * MIB, ledger.grant("a", GIB).orElseThrow().bytes());
        assertTrue(ledger.grant("a", 1).isEmpty(), "44 MiB left: less than one lease");
    }

    @Test
    void pressureRecallsTheNewestLeasesUntilTheRestFits() {
        ledger.offerChanged(offer(4 * GIB));
        Lease oldest = ledger.grant("a", GIB).orElseThrow();
        clock.advanceMillis(10);
        Lease middle = ledger.grant("b", GIB).orElseThrow();
        clock.advanceMillis(10);
        Lease newest = ledger.grant("a", 512 * MIB).orElseThrow();
        // Lent 2.5 GiB; MemAvailable 1 GiB short: the leases must come down to 1.5 GiB.
        List<RecallOrder> orders = ledger.offerChanged(pressure(1536 * MIB, GIB));
        assertEquals(List.of(newest.id(), middle.id()), orders.stream().map(RecallOrder::leaseId).toList());
        long recalled = orders.stream().mapToLong(RecallOrder::bytes).sum();
        assertTrue(recalled >= GIB, "covers the shortfall: " + recalled);
        assertTrue(ledger.activeBytes() <= 1536 * MIB);
        for (RecallOrder o : orders) {
            assertEquals(RecallReason.PRESSURE, o.reason());
            assertEquals(clock.instant().plusSeconds(30), o.deadline());
            assertEquals("node-b", o.lender());
        }
        assertEquals(LeaseState.ACTIVE, ledger.leases().get(0).state());
        assertEquals(oldest.id(), ledger.leases().get(0).id());
        assertEquals(List.of(), ledger.offerChanged(pressure(1536 * MIB, GIB)), "recalled leases are not recalled twice");
    }

    @Test
    void aRecallInProgressBlocksGrantsUntilItEnds() {
        ledger.offerChanged(offer(2 * GIB));
        Lease l = ledger.grant("a", 2 * GIB).orElseThrow();
        List<RecallOrder> orders = ledger.offerChanged(offer(GIB));
        assertEquals(1, orders.size());
        ledger.offerChanged(offer(10 * GIB));
        assertTrue(ledger.grant("b", 1).isEmpty(), "blocked while a recall runs");
        assertTrue(ledger.refusal().orElseThrow().contains("recall"), ledger.refusal().toString());
        clock.advance(Duration.ofMillis(1800));
        RecallReport r = ledger.released(l.id(), new ReleaseStats(GIB, GIB, 0, 0, 512, 0));
        assertEquals(Duration.ofMillis(1800), r.elapsed());
        assertFalse(r.late());
        assertEquals(RecallReason.PRESSURE, r.reason());
        assertEquals("a", r.borrower());
        assertEquals(2 * GIB, r.leaseBytes());
        assertTrue(r.summary().contains("released in 1.8 s (deadline 30 s)"), r.summary());
        assertTrue(ledger.grant("b", 1).isPresent(), "grants again once the recall ended");
    }

    @Test
    void holdingAfterPressureBlocksGrants() {
        ledger.offerChanged(new Offer(GIB, false, 0, true, 4 * GIB + MIB));
        assertTrue(ledger.grant("a", 1).isEmpty());
        assertTrue(ledger.refusal().orElseThrow().contains("recovering from memory pressure"));
        ledger.offerChanged(offer(GIB));
        assertTrue(ledger.grant("a", 1).isPresent());
    }

    @Test
    void overdueRecallsAreListedUntilReleased() {
        ledger.offerChanged(offer(GIB));
        Lease l = ledger.grant("a", GIB).orElseThrow();
        ledger.offerChanged(offer(0));
        clock.advance(Duration.ofSeconds(30));
        assertEquals(List.of(), ledger.overdue(), "at the deadline: not yet overdue");
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of(l.id()), ledger.overdue().stream().map(RecallOrder::leaseId).toList());
        LenderStatus.Recall running = ledger.status().recalls().get(0);
        assertTrue(running.overdue());
        assertEquals(Duration.ofMillis(30_001), running.age());
        RecallReport late = ledger.released(l.id(), ReleaseStats.EMPTY);
        assertTrue(late.late());
        assertTrue(late.summary().contains("LATE"), late.summary());
        assertEquals(List.of(), ledger.overdue());
    }

    @Test
    void operatorRecallTakesEverythingWithItsDeadline_tightensRunningOnes_andClosesUntilReopened() {
        ledger.offerChanged(offer(2 * GIB));
        Lease a = ledger.grant("a", GIB).orElseThrow();
        Lease b = ledger.grant("b", GIB).orElseThrow();
        ledger.offerChanged(offer(GIB)); // recalls b, deadline +30 s
        clock.advance(Duration.ofSeconds(1));
        List<RecallOrder> orders = ledger.recallAll(RecallReason.OPERATOR, Duration.ofSeconds(10));
        Instant due = clock.instant().plusSeconds(10);
        assertEquals(2, orders.size());
        RecallOrder tightened = orders.stream().filter(o -> o.leaseId() == b.id()).findFirst().orElseThrow();
        assertEquals(due, tightened.deadline());
        assertEquals(RecallReason.PRESSURE, tightened.reason(), "keeps its reason");
        RecallOrder ofA = orders.stream().filter(o -> o.leaseId() == a.id()).findFirst().orElseThrow();
        assertEquals(RecallReason.OPERATOR, ofA.reason());
        assertEquals(due, ofA.deadline());
        ledger.released(a.id(), ReleaseStats.EMPTY);
        ledger.released(b.id(), ReleaseStats.EMPTY);
        ledger.offerChanged(offer(10 * GIB));
        assertTrue(ledger.grant("a", 1).isEmpty(), "reclaimed: lends nothing until reopened");
        ledger.reopen();
        assertTrue(ledger.grant("a", 1).isPresent());
    }

    @Test
    void aLeavingLenderNeverLendsAgain() {
        ledger.offerChanged(offer(GIB));
        ledger.grant("a", 1).orElseThrow();
        List<RecallOrder> orders = ledger.recallAll(RecallReason.LEAVING, Duration.ofSeconds(5));
        assertEquals(RecallReason.LEAVING, orders.get(0).reason());
        ledger.recallAll(RecallReason.OPERATOR, Duration.ofSeconds(5));
        assertTrue(ledger.refusal().orElseThrow().contains("leaving"));
        assertThrows(IllegalStateException.class, ledger::reopen);
    }

    @Test
    void releaseReportsAndUnknownLeases() {
        ledger.offerChanged(offer(GIB));
        Lease l = ledger.grant("a", GIB).orElseThrow();
        RecallReport returned = ledger.released(l.id(), ReleaseStats.EMPTY);
        assertEquals(RecallReason.RETURNED, returned.reason(), "given back without a recall");
        UnknownLeaseException e = assertThrows(UnknownLeaseException.class, () -> ledger.released(l.id(), ReleaseStats.EMPTY));
        assertEquals(l.id(), e.leaseId());
        assertEquals(0, ledger.grantedBytes());
    }

    @Test
    void aBorrowerThatLeavesFreesItsLeasesAndItsRecalls() {
        ledger.offerChanged(offer(2 * GIB));
        ledger.grant("a", GIB).orElseThrow();
        ledger.grant("b", GIB).orElseThrow();
        ledger.offerChanged(offer(GIB)); // recalls b's lease
        assertEquals(1, ledger.borrowerGone("b").size());
        assertEquals(GIB, ledger.grantedBytes());
        assertTrue(ledger.recalls().isEmpty());
        ledger.offerChanged(offer(2 * GIB));
        assertTrue(ledger.grant("c", GIB).isPresent());
    }

    @Test
    void statusShowsOfferLeasesPerBorrowerAndRecalls() {
        ledger.offerChanged(offer(3 * GIB));
        ledger.grant("b", GIB).orElseThrow();
        ledger.grant("a", 512 * MIB).orElseThrow();
        ledger.grant("b", 512 * MIB).orElseThrow();
        ledger.offerChanged(offer(1536 * MIB)); // recalls b's newest 512 MiB
        clock.advance(Duration.ofSeconds(2));
        LenderStatus s = ledger.status();
        assertEquals(1536 * MIB, s.offeredBytes());
        assertEquals(2 * GIB, s.grantedBytes());
        assertEquals(512 * MIB, s.recallingBytes());
        assertEquals(Map.of("a", 512 * MIB, "b", 1536 * MIB), s.perBorrower());
        assertEquals(List.of("a", "b"), List.copyOf(s.perBorrower().keySet()));
        assertTrue(s.recallInProgress());
        assertEquals(Duration.ofSeconds(2), s.recalls().get(0).age());
        assertEquals(clock.instant().plusSeconds(28), s.recalls().get(0).order().deadline());
        assertTrue(s.refusal().isPresent());
    }
}
