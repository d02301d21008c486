package io.tierfs.simulator.engine;

import io.tierfs.common.config.TierKind;
import io.tierfs.simulator.config.LenderJob;
import io.tierfs.simulator.config.LenderStep;
import io.tierfs.simulator.config.SimConfig;
import io.tierfs.simulator.config.WorkloadSpec;
import io.tierfs.simulator.report.RecallResult;
import io.tierfs.simulator.report.RunResult;
import io.tierfs.simulator.workload.ZipfWorkload;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tierfs.simulator.engine.TestSims.config;
import static io.tierfs.simulator.engine.TestSims.runCsv;
import static io.tierfs.simulator.engine.TestSims.tier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulationTest {
    static final long GBPS = 1_000_000_000L;

    static SimConfig twoTier(long bw) {
        return config(List.of(tier("ssd", TierKind.SSD, 1, 100, 0.9, 0.5, bw), tier("hdd", TierKind.HDD, 1, 10_000, 0.9, 0.7, bw)),
                "none", 10_000_000_000L, List.of(), List.of());
    }

    /** A, B, C fill the SSD to 90 (at, not above, high); A is read; D pushes it to 95 > 90. */
    static final String FILL = """
            0,write,/A,0,30
            1,write,/B,0,30
            2,write,/C,0,30
            3,read,/A,0,30
            4,write,/D,0,5
            """;

    @Test
    void lruTwoTierHitRatioOnAHandCheckedSequence() {
        // The plan at t=4 demotes LRU victims until <= 50: B (t=1) then C (t=2) -> 35 left (A and D).
        RunResult r = runCsv(twoTier(GBPS), FILL + "5,read,/B,0,30\n5,read,/C,0,30\n5,read,/A,0,30\n5,read,/D,0,5\n");
        // reads: A@3 ssd, B hdd, C hdd, A ssd, D ssd -> 3 of 5 requests, 65 of 125 bytes from the SSD
        assertEquals(0.6, r.tiers().get(0).hitRatioRequests(), 1e-9);
        assertEquals(65.0 / 125, r.tiers().get(0).hitRatioBytes(), 1e-9);
        assertEquals(60, r.migrationDownBytes());
        assertEquals(60, r.tiers().get(1).migrationWriteBytes());
        assertEquals(1, r.moverRounds());
    }

    @Test
    void watermarkDemotionTakesVirtualTime() {
        // 1,000 bytes/s: each 30-byte copy reads 30 ms from the SSD and writes 30 ms to the HDD, one at a time.
        RunResult r = runCsv(twoTier(1_000), FILL + "4.040,read,/B,0,30\n4.2,read,/C,0,30\n");
        // B's copy ends at about 4.005 (D's write) + 0.06 s; C's copy after B's; at 4.04 B is still on the SSD.
        assertEquals(3, r.tiers().get(0).readRequests() + r.tiers().get(1).readRequests());
        assertEquals(2, r.tiers().get(0).readRequests());  // A@3 and B@4.04
        assertEquals(1, r.tiers().get(1).readRequests());  // C@4.2, after both copies
        assertEquals(60, r.migrationDownBytes());
        assertTrue(r.virtualEndNanos() > 4_100_000_000L, "copies end after 4.1 s of virtual time: " + r.virtualEndNanos());
    }

    @Test
    void sameSeedSameResultsOtherSeedDiffers() {
        SimConfig c = config(List.of(tier("dram", TierKind.DRAM, 2, 64L << 20, 0.9, 0.6, 8 * GBPS),
                        tier("ssd", TierKind.SSD, 2, 512L << 20, 0.9, 0.7, 2 * GBPS),
                        tier("hdd", TierKind.HDD, 1, 1L << 40, 0.9, 0.7, GBPS / 4)), "on-read", 1_000_000_000L,
                List.of(), List.of(new LenderJob(1, 1_000_000_000L, 2_000_000_000L, 32L << 20)));
        var spec = new WorkloadSpec.Zipf(300, 4L << 20, 20_000, 0.9, 5_000, 1L << 20, true);
        RunResult a = new Simulation(c, "a").run(new ZipfWorkload(spec, 1), ProgressListener.NONE);
        RunResult b = new Simulation(c, "a").run(new ZipfWorkload(spec, 1), ProgressListener.NONE);
        RunResult other = new Simulation(c, "a").run(new ZipfWorkload(spec, 2), ProgressListener.NONE);
        assertEquals(a.tiers(), b.tiers());
        assertEquals(a.jobs(), b.jobs());
        assertEquals(a.recalls(), b.recalls());
        assertEquals(a.events(), b.events());
        assertEquals(a.migrationUpBytes(), b.migrationUpBytes());
        assertNotEquals(a.tiers(), other.tiers());
        assertTrue(a.migrationUpBytes() > 0 && a.migrationDownBytes() + a.droppedBytes() > 0);
    }

    @Test
    void dirtyDramDataIsFlushedThenDroppedNotCopiedWhenDemoted() {
        SimConfig c = config(List.of(tier("dram", TierKind.DRAM, 1, 100, 0.9, 0.5, GBPS),
                tier("hdd", TierKind.HDD, 1, 10_000, 0.9, 0.7, GBPS)), "none", 2_000_000_000L, List.of(), List.of());
        // flush age = 1 s: A and B are flushed at t=1; C at t=3 pushes DRAM over 90 -> A and B are clean: dropped
        RunResult r = runCsv(c, "0,write,/A,0,40\n0,write,/B,0,40\n3,write,/C,0,15\n");
        assertEquals(80 + 15, r.flushedBytes());  // C is flushed at t=4
        assertEquals(80, r.droppedBytes());       // A alone brings 95 to 55, above the low 50: B goes too
        assertEquals(0, r.migrationDownBytes());
    }

    @Test
    void lenderRecallMovesDirtyDataToAnotherLenderThenFlushesIt() {
        SimConfig c = config(List.of(tier("dram", TierKind.DRAM, 2, 100, 0.95, 0.9, GBPS),
                        tier("hdd", TierKind.HDD, 1, 10_000, 0.9, 0.7, GBPS)), "none", 100_000_000_000L,
                List.of(new LenderStep(1_000_000_000L, 0, 20), new LenderStep(2_000_000_000L, 1, 10)), List.of());
        // files 0 and 2 of the trace are /a and /c: both on lender 0 (their home); /b on lender 1
        RunResult r = runCsv(c, "0,write,/a,0,40\n0,write,/b,0,10\n0,write,/c,0,40\n3,read,/a,0,40\n");
        List<RecallResult> rec = r.recalls();
        assertEquals(2, rec.size());
        // t=1: lender 0 keeps 20 of 80: /a (coldest) then /c move to lender 1 (dirty, lender 1 has room for both)
        assertEquals(60, rec.get(0).bytesToFree());
        assertEquals(80, rec.get(0).movedBytes());
        assertEquals(0, rec.get(0).flushedBytes());
        assertTrue(rec.get(0).durationNanos() > 0 && rec.get(0).complete());
        // The shrunken DRAM tier (120) is also above its high watermark: the mover demotes the only idle file, /b.
        // Moved down in all: 80 (recall 1, between lenders) + 10 (/b, by the watermark) + 80 (recall 2, flushed).
        assertEquals(80 + 10 + 80, r.migrationDownBytes());
        // t=2: lender 1 keeps 10 of its 80 and lender 0 has 20 free: /a and /c are flushed down to the HDD
        assertEquals(70, rec.get(1).bytesToFree());
        assertEquals(80, rec.get(1).flushedBytes());
        assertEquals(0, rec.get(1).movedBytes());
        assertTrue(rec.get(1).complete());
        assertEquals(1, r.tiers().get(1).readRequests()); // /a is read from the HDD afterwards
    }
}
