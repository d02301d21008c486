package io.tierfs.borrow.lender;

import io.tierfs.borrow.LendSettings;
import io.tierfs.borrow.Reserve;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static io.tierfs.borrow.lender.Fixtures.GIB;
import static io.tierfs.borrow.lender.Fixtures.MIB;
import static io.tierfs.borrow.lender.Fixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OfferPolicyTest {

    @Test
    void offersWhatLiesAboveTheReserve_lentMemoryStaysLendable() {
        OfferPolicy p = new OfferPolicy(settings(0), 64 * GIB);
        assertEquals(new Offer(6 * GIB, false, 0, false, 10 * GIB), p.offer(10 * GIB, 0));
        // 2 GiB of it were filled: MemAvailable fell by 2 GiB, the offer stays.
        assertEquals(6 * GIB, p.offer(8 * GIB, 2 * GIB).offeredBytes());
        assertEquals(0, p.offer(4 * GIB, 0).offeredBytes(), "exactly at the reserve: nothing, but no pressure");
        assertFalse(p.offer(4 * GIB, 0).pressure());
    }

    @Test
    void capLimitsTheOffer() {
        OfferPolicy p = new OfferPolicy(settings(3 * GIB), 64 * GIB);
        assertEquals(3 * GIB, p.offer(10 * GIB, 0).offeredBytes());
        assertEquals(3 * GIB, p.offer(7 * GIB, 3 * GIB).offeredBytes());
        assertEquals(2 * GIB, p.offer(6 * GIB, 0).offeredBytes(), "below the cap the memory decides");
    }

    @Test
    void pressureGivesTheShortfallAndTheLevelAfterGivingItBack() {
        OfferPolicy p = new OfferPolicy(settings(0), 64 * GIB);
        Offer o = p.offer(3 * GIB, 5 * GIB);
        assertTrue(o.pressure());
        assertEquals(GIB, o.shortfallBytes());
        assertEquals(4 * GIB, o.offeredBytes(), "lent 5 GiB minus the 1 GiB shortfall");
        assertTrue(o.holding());
        assertEquals(0, p.offer(1 * GIB, 2 * GIB).offeredBytes(), "never negative");
    }

    @Test
    void hysteresis_afterPressureNothingNewUntilAboveReservePlusHysteresis() {
        OfferPolicy p = new OfferPolicy(settings(0), 64 * GIB);
        assertTrue(p.offer(3 * GIB, 0).pressure());
        Offer justAbove = p.offer(4 * GIB + 100 * MIB, 0);
        assertFalse(justAbove.pressure());
        assertTrue(justAbove.holding(), "within reserve + hysteresis: still holding");
        assertEquals(100 * MIB, justAbove.offeredBytes(), "the offer is the real room; holding only stops new grants");
        assertTrue(p.offer(4 * GIB + 256 * MIB, 0).holding(), "at the bound: still holding");
        Offer free = p.offer(4 * GIB + 257 * MIB, 0);
        assertFalse(free.holding());
        assertEquals(257 * MIB, free.offeredBytes());
        assertFalse(p.offer(4 * GIB + 100 * MIB, 0).holding(), "once free, dipping near the reserve is no pressure");
        assertFalse(OfferPolicy.compute(settings(0), 4 * GIB, 4 * GIB + 100 * MIB, 0, false).holding());
        assertTrue(OfferPolicy.compute(settings(0), 4 * GIB, 4 * GIB + 100 * MIB, 0, true).holding());
    }

    @Test
    void disabledOffersNothingButStillReportsPressure() {
        OfferPolicy p = new OfferPolicy(settings(false, 0), 64 * GIB);
        assertEquals(0, p.offer(40 * GIB, 0).offeredBytes());
        assertTrue(p.offer(1 * GIB, 0).pressure());
    }

    @Test
    void percentageReserveIsOfMemTotal() {
        LendSettings s = new LendSettings(true, new Reserve.OfTotal(0.25), 0, 0, Duration.ofSeconds(1),
                Path.of("/x"), Path.of("/y"), Duration.ofSeconds(30), 256 * MIB, 0);
        OfferPolicy p = new OfferPolicy(s, 16 * GIB);
        assertEquals(4 * GIB, p.reserveBytes());
        assertEquals(6 * GIB, p.offer(10 * GIB, 0).offeredBytes());
    }
}
