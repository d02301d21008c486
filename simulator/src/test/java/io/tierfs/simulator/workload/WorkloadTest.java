package io.tierfs.simulator.workload;

import io.tierfs.simulator.config.WorkloadSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadTest {

    static List<String> drain(RequestSource s) {
        List<String> out = new ArrayList<>();
        Request r = new Request();
        while (s.next(r)) {
            out.add(r.timeNanos + " " + r.op + " " + r.file + " " + r.offset + " " + r.size + " " + s.names().job(r.job)
                    + (r.afterJob >= 0 ? " after " + s.names().job(r.afterJob) + (r.barrier ? " barrier" : "") : ""));
        }
        return out;
    }

    @Test
    void checkpointRanksWriteEveryIntervalDeleteOldOnesAndRestartReadsTheLatest() {
        var w = new CheckpointWorkload(new WorkloadSpec.Checkpoint(2, 6, 100, 3, 4, 1, true));
        List<String> reqs = drain(w);
        assertEquals(List.of(
                "0 WRITE 0 0 4 ckpt-0", "0 WRITE 1 0 4 ckpt-0", "0 WRITE 0 4 2 ckpt-0", "0 WRITE 1 4 2 ckpt-0",
                "100 DELETE 0 0 0 ckpt-1", "100 DELETE 1 0 0 ckpt-1",
                "100 WRITE 2 0 4 ckpt-1", "100 WRITE 3 0 4 ckpt-1", "100 WRITE 2 4 2 ckpt-1", "100 WRITE 3 4 2 ckpt-1",
                "200 DELETE 2 0 0 ckpt-2", "200 DELETE 3 0 0 ckpt-2",
                "200 WRITE 4 0 4 ckpt-2", "200 WRITE 5 0 4 ckpt-2", "200 WRITE 4 4 2 ckpt-2", "200 WRITE 5 4 2 ckpt-2",
                "300 READ 4 0 4 restart", "300 READ 5 0 4 restart", "300 READ 4 4 2 restart", "300 READ 5 4 2 restart"),
                reqs);
        assertEquals(1.0, w.progress());
    }

    @Test
    void workflowStepsReadThePreviousStepsOutputAfterItEnds() {
        var w = new WorkflowWorkload(new WorkloadSpec.Workflow(2, 2, 4, 4, 50));
        assertEquals(List.of(
                "0 READ 4 0 4 step-0", "0 READ 5 0 4 step-0",
                "0 WRITE 0 0 4 step-0 after step-0 barrier", "0 WRITE 1 0 4 step-0 after step-0",
                "0 READ 0 0 4 step-1 after step-0 barrier", "0 READ 1 0 4 step-1 after step-0",
                "0 WRITE 2 0 4 step-1 after step-1 barrier", "0 WRITE 3 0 4 step-1 after step-1"), drain(w));
    }

    @Test
    void zipfIsSeededAndSkewed() {
        var spec = new WorkloadSpec.Zipf(100, 4L << 20, 5_000, 1.0, 1000, 1L << 20, true);
        List<String> a = drain(new ZipfWorkload(spec, 1));
        assertEquals(a, drain(new ZipfWorkload(spec, 1)));
        assertNotEquals(a, drain(new ZipfWorkload(spec, 2)));
        assertEquals(100 + 5_000, a.size());
        assertTrue(a.get(0).endsWith("WRITE 0 0 4194304 ingest"));
        assertTrue(a.get(100).contains(" after ingest barrier"));
        int[] hits = new int[100];
        Request r = new Request();
        var w = new ZipfWorkload(spec, 3);
        long lastTime = -1;
        while (w.next(r)) {
            if (r.op == Op.READ) {
                hits[r.file]++;
                assertTrue(r.timeNanos >= lastTime);
                lastTime = r.timeNanos;
            }
        }
        int max = 0;
        for (int h : hits) {
            max = Math.max(max, h);
        }
        // s = 1 over 100 items: the most popular gets 1/H(100) = 19% of the reads
        assertEquals(0.19, max / 5000.0, 0.03);
        assertTrue(lastTime > 4e9 && lastTime < 6e9, "5,000 reads at 1,000/s take ~5 s, got " + lastTime);
    }

    @Test
    void zipfSamplerRanksFollowThePowerLaw() {
        var z = new ZipfSampler(3, 1.0, new java.util.SplittableRandom(1));
        // weights 1, 1/2, 1/3 -> cdf 6/11, 9/11, 1
        assertEquals(0, z.rank(0.0));
        assertEquals(0, z.rank(0.54));
        assertEquals(1, z.rank(0.56));
        assertEquals(2, z.rank(0.99));
        Set<Integer> items = new HashSet<>();
        for (double u = 0; u < 1; u += 0.05) {
            items.add(z.sample(u));
        }
        assertEquals(Set.of(0, 1, 2), items);
        assertFalse(items.contains(3));
    }
}
