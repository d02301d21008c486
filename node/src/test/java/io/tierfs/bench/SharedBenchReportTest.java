package io.tierfs.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tierfs.bench.SharedBench.Layout.FILE_PER_PROCESS;
import static io.tierfs.bench.SharedBench.Layout.SHARED_SEGMENTED;
import static io.tierfs.bench.SharedBench.Layout.SHARED_STRIDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedBenchReportTest {
    private static final SharedBenchOptions OPTIONS = SharedBenchOptions.parse(List.of("/mnt/a", "--rounds", "3"));

    private static SharedBenchReport.Row row(int round, SharedBench.Layout l, double write, double read) {
        return new SharedBenchReport.Row(round, l, write, read, 1, 1);
    }

    @Test
    void ratiosAreMediansOfPerRoundRatiosNotRatiosOfMedians() {
        // file-per-process swings 2x between rounds; the shared layout follows it at 0.8, except one bad round
        SharedBenchReport r = new SharedBenchReport(OPTIONS, List.of(
                row(1, FILE_PER_PROCESS, 100, 200), row(1, SHARED_SEGMENTED, 80, 100), row(1, SHARED_STRIDED, 10, 50),
                row(2, FILE_PER_PROCESS, 200, 200), row(2, SHARED_SEGMENTED, 160, 300), row(2, SHARED_STRIDED, 20, 50),
                row(3, FILE_PER_PROCESS, 400, 200), row(3, SHARED_SEGMENTED, 100, 200), row(3, SHARED_STRIDED, 40, 50)));
        assertEquals(3, r.rounds());
        assertEquals(0.8, r.writeRatio(SHARED_SEGMENTED), 1e-9); // ratios 0.8, 0.8, 0.25
        assertEquals(100, r.writeMiBps(SHARED_SEGMENTED), 1e-9); // medians of 80, 160, 100
        assertEquals(200, r.writeMiBps(FILE_PER_PROCESS), 1e-9);
        assertEquals(1.0, r.readRatio(SHARED_SEGMENTED), 1e-9); // 0.5, 1.5, 1.0
        assertEquals(0.1, r.writeRatio(SHARED_STRIDED), 1e-9);
        assertEquals(1.0, r.writeRatio(FILE_PER_PROCESS), 1e-9);
        String table = r.toTable();
        assertTrue(table.contains("median shared-segmented"), table);
        assertTrue(r.toJson().contains("\"rounds\""), r.toJson());
    }

    @Test
    void aThroughputThatRisesThroughTheRunFavoursNoLayout() {
        // true ratios: segmented 0.9, strided 0.7; every run is 4 % faster than the run before it (JIT warm-up)
        java.util.Map<SharedBench.Layout, Double> truth = java.util.Map.of(FILE_PER_PROCESS, 1000.0,
                SHARED_SEGMENTED, 900.0, SHARED_STRIDED, 700.0);
        List<SharedBenchReport.Row> rows = new java.util.ArrayList<>();
        int position = 0;
        for (int round = 1; round <= 3; round++) {
            for (SharedBench.Layout l : SharedBench.passesOfRound(round)) {
                double bw = truth.get(l) * (1 + 0.04 * position++);
                rows.add(row(round, l, bw, bw));
            }
        }
        SharedBenchReport r = new SharedBenchReport(OPTIONS, rows);
        // each round's ratio is a mean of two runs over a mean of two runs whose positions average the same
        for (int round = 1; round <= 3; round++) {
            double fpp = r.inRound(round, FILE_PER_PROCESS, SharedBenchReport.Row::writeMiBps);
            double strided = r.inRound(round, SHARED_STRIDED, SharedBenchReport.Row::writeMiBps);
            assertEquals(0.7, strided / fpp, 1e-9, "round " + round);
        }
        assertEquals(0.7, r.writeRatio(SHARED_STRIDED), 1e-9);
        assertEquals(0.9, r.writeRatio(SHARED_SEGMENTED), 1e-9);
        // one run per layout and round (the rotation alone) would have put strided below its true ratio
        double[] once = new double[3];
        for (int round = 1; round <= 3; round++) {
            List<SharedBench.Layout> order = SharedBench.orderOfRound(round);
            int base = (round - 1) * 3;
            once[round - 1] = 0.7 * (1 + 0.04 * (base + order.indexOf(SHARED_STRIDED)))
                    / (1 + 0.04 * (base + order.indexOf(FILE_PER_PROCESS)));
        }
        assertTrue(SharedBenchReport.median(once) < 0.69, "rotation alone: " + SharedBenchReport.median(once));
    }

    @Test
    void eachRoundRunsItsOrderAndThenBackwards() {
        assertEquals(List.of(SHARED_SEGMENTED, SHARED_STRIDED, FILE_PER_PROCESS, FILE_PER_PROCESS, SHARED_STRIDED,
                SHARED_SEGMENTED), SharedBench.passesOfRound(2));
        for (int round = 1; round <= 3; round++) {
            List<SharedBench.Layout> p = SharedBench.passesOfRound(round);
            for (SharedBench.Layout l : SharedBench.Layout.values()) {
                assertEquals(p.size() - 1, p.indexOf(l) + p.lastIndexOf(l), l + " sits on average mid-round");
            }
        }
    }

    @Test
    void anEvenNumberOfRoundsAveragesTheMiddleTwo() {
        assertEquals(2.5, SharedBenchReport.median(new double[]{4, 1, 3, 2}), 1e-9);
        assertEquals(0, SharedBenchReport.median(new double[0]), 1e-9);
    }

    @Test
    void badRoundAndWarmUpCountsAreRefusedWithTheFlagNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedBenchOptions.parse(List.of("/mnt/a", "--rounds", "0")));
        assertTrue(e.getMessage().contains("--rounds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SharedBenchOptions.parse(List.of("/mnt/a", "--warmup", "-1m")));
        assertTrue(e.getMessage().contains("--warmup"), e.getMessage());
        // a warm-up larger than a round is cut to the round's size, in whole transfers
        assertEquals(4L << 20, SharedBenchOptions.parse(List.of("/mnt/a", "--size", "4m", "--warmup", "1g"))
                .warmupBytesPerProc());
        assertEquals(0, SharedBenchOptions.parse(List.of("/mnt/a", "--warmup", "0")).warmupBytesPerProc());
    }

    @Test
    void everyLayoutRunsOnceInEveryPositionOverThreeRounds() {
        assertEquals(List.of(FILE_PER_PROCESS, SHARED_SEGMENTED, SHARED_STRIDED), SharedBench.orderOfRound(1));
        assertEquals(List.of(SHARED_SEGMENTED, SHARED_STRIDED, FILE_PER_PROCESS), SharedBench.orderOfRound(2));
        assertEquals(List.of(SHARED_STRIDED, FILE_PER_PROCESS, SHARED_SEGMENTED), SharedBench.orderOfRound(3));
        assertEquals(SharedBench.orderOfRound(1), SharedBench.orderOfRound(4));
    }
}
