package io.tierfs.borrow.lender;

import io.tierfs.borrow.LendSettings;
import io.tierfs.common.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.tierfs.borrow.lender.Fixtures.GIB;
import static io.tierfs.borrow.lender.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random sequences of memory readings, grants, releases, operator recalls and departures against a ledger fed by
 * the real offer policy. After every step: active leases fit the offer; all leases fit it unless a recall is in
 * progress; a lease is either active or has exactly one recall order; nothing is granted while a recall runs.
 * The seed is printed on failure; set -Dtierfs.test.seed=N to replay one.
 */
class LeaseLedgerPropertyTest {
    private static final int RUNS = 300;
    private static final int STEPS = 400;

    @Test
    void grantsNeverExceedTheOfferUnlessARecallIsFixingIt() {
        long base = Long.getLong("tierfs.test.seed", System.nanoTime());
        int runs = System.getProperty("tierfs.test.seed") != null ? 1 : RUNS;
        long[] seen = new long[3]; // grants, recall orders, releases
        for (int run = 0; run < runs; run++) {
            long seed = base + run;
            try {
                runOnce(seed, seen);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + " (replay with -Dtierfs.test.seed=" + seed + "): "
                        + e.getMessage(), e);
            }
        }
        if (runs > 1 && (seen[0] < 1000 || seen[1] < 100 || seen[2] < 1000)) {
            fail("the random runs did not exercise the ledger: grants " + seen[0] + ", recalls " + seen[1]
                    + ", releases " + seen[2] + " (seed " + base + ")");
        }
    }

    private static void runOnce(long seed, long[] seen) {
        Random rnd = new Random(seed);
        long cap = rnd.nextBoolean() ? 0 : (1 + rnd.nextInt(16)) * GIB;
        LendSettings s = Fixtures.settings(cap);
        ManualClock clock = ManualClock.atMillis(1_000_000);
        OfferPolicy policy = new OfferPolicy(s, 32 * GIB);
        LeaseLedger ledger = new LeaseLedger("lender", s, clock);
        String[] borrowers = {"a", "b", "c"};
        long otherUse = rnd.nextInt(8) * GIB; // the lender's own jobs
        for (int step = 0; step < STEPS; step++) {
            int op = rnd.nextInt(10);
            String what;
            if (op < 3) {
                otherUse = Math.max(0, Math.min(32 * GIB, otherUse + (rnd.nextInt(9) - 4) * 512 * MIB));
                // Lent memory is filled as a random part of the granted leases.
                long lent = (long) (ledger.grantedBytes() * rnd.nextDouble());
                long avail = Math.max(0, 32 * GIB - otherUse - lent);
                seen[1] += ledger.offerChanged(policy.offer(avail, lent)).size();
                what = "memory: own " + otherUse + " lent " + lent + " avail " + avail;
            } else if (op < 7) {
                boolean blocked = !ledger.recalls().isEmpty();
                long want = 1 + (long) (rnd.nextDouble() * 3 * GIB);
                var got = ledger.grant(borrowers[rnd.nextInt(3)], want);
                if (blocked && got.isPresent()) {
                    fail("granted while a recall is in progress at step " + step);
                }
                seen[0] += got.isPresent() ? 1 : 0;
                what = "grant " + want + " -> " + got;
            } else if (op < 9) {
                List<Lease> leases = ledger.leases();
                List<Lease> recalling = new ArrayList<>(leases.stream()
                        .filter(l -> l.state() == LeaseState.RECALLING).toList());
                List<Lease> pick = !recalling.isEmpty() && rnd.nextInt(4) > 0 ? recalling : leases;
                if (pick.isEmpty()) {
                    what = "nothing to release";
                } else {
                    Lease l = pick.get(rnd.nextInt(pick.size()));
                    ledger.released(l.id(), ReleaseStats.EMPTY);
                    seen[2]++;
                    what = "release " + l;
                }
            } else if (rnd.nextInt(5) == 0) {
                seen[1] += ledger.recallAll(RecallReason.OPERATOR, Duration.ofSeconds(1 + rnd.nextInt(30))).size();
                ledger.reopen(); // the job that needed the node was short
                what = "operator recall";
            } else {
                what = "borrower gone: " + ledger.borrowerGone(borrowers[rnd.nextInt(3)]).size();
            }
            clock.advanceMillis(rnd.nextInt(2000));
            check(ledger, step, what);
        }
    }

    private static void check(LeaseLedger ledger, int step, String what) {
        long offered = ledger.offer().offeredBytes();
        String at = " at step " + step + " (" + what + ")";
        if (ledger.activeBytes() > offered) {
            fail("active leases " + ledger.activeBytes() + " exceed the offer " + offered + at);
        }
        if (ledger.grantedBytes() > offered && ledger.recalls().isEmpty()) {
            fail("leases " + ledger.grantedBytes() + " exceed the offer " + offered + " and no recall runs" + at);
        }
        for (Lease l : ledger.leases()) {
            boolean ordered = ledger.recalls().stream().anyMatch(r -> r.leaseId() == l.id());
            if ((l.state() == LeaseState.RECALLING) != ordered) {
                fail("lease " + l + " state and recall orders disagree" + at);
            }
            if (l.bytes() % (256 * MIB) != 0) {
                fail("lease " + l + " is not a multiple of the lease size" + at);
            }
        }
        if (ledger.recalls().size() != ledger.leases().stream().filter(l -> l.state() == LeaseState.RECALLING).count()) {
            fail("a recall order without its lease" + at);
        }
    }
}
