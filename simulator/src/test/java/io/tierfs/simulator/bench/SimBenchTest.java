package io.tierfs.simulator.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimBenchTest {

    @Test
    void aSmallRunGivesPositiveConsistentFigures() {
        SimBench.Result r = SimBench.measure(30_000, null, 1);
        assertEquals(30_000, r.requests());
        assertEquals(30_000, r.parseOnly().requests());
        assertEquals(30_000, r.threeTier().requests());
        assertTrue(r.traceBytes() > 30_000 * 20);
        for (SimBench.Phase p : List.of(r.parseOnly(), r.twoTierLru(), r.threeTier())) {
            assertTrue(p.seconds() > 0 && p.requestsPerSecond() > 0, p.toString());
            assertTrue(p.events() >= p.requests(), p.toString());
            assertEquals(p.requests() / p.seconds(), p.requestsPerSecond(), p.requestsPerSecond() * 1e-9);
            assertTrue(p.eventsPerSecond() >= p.requestsPerSecond(), p.toString());
        }
        assertTrue(r.twoTierLru().fastestHitRatio() > 0 && r.twoTierLru().fastestHitRatio() < 1);
        assertEquals(r.twoTierLru().requestsPerSecond() >= SimBench.FLOOR, r.meetsFloor());
    }

    @Test
    void commandLineJsonAndUsageErrors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, SimBench.run(List.of("--json", "--requests", "5000"), new PrintStream(out), new PrintStream(err)));
        String json = out.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains("\"twoTierLru\"") && json.contains("\"requestsPerSecond\""), json);
        assertEquals(2, SimBench.run(List.of("--requests"), new PrintStream(out), new PrintStream(err)));
        assertEquals(2, SimBench.run(List.of("--bogus"), new PrintStream(out), new PrintStream(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unexpected argument '--bogus'"));
    }
}
