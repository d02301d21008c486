package io.tierfs.borrow.recall;

import io.tierfs.borrow.lender.ReleaseStats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecallProgressTest {
    private static final long MIB = 1L << 20;
    private final Instant t0 = Instant.parse("2026-11-21T10:00:00Z");

    /** 50 clean chunks (200 MiB) and 14 dirty ones (56 MiB), room to flush them all. */
    private RecallPlan plan() {
        List<LentChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            chunks.add(new LentChunk(1, i, 4 * MIB, false, true, null));
        }
        for (int i = 0; i < 14; i++) {
            chunks.add(new LentChunk(2, i, 4 * MIB, true, false, null));
        }
        return RecallPlanner.plan("node-b", chunks, Map.of(), 1L << 30);
    }

    @Test
    void accountsStepsBytesAndTime() {
        RecallPlan plan = plan();
        RecallProgress p = RecallProgress.start(plan, t0, Duration.ofSeconds(30));
        assertEquals(64, p.stepsTotal());
        for (RecallStep s : plan.steps().subList(0, 10)) {
            p.stepDone(s, t0.plusMillis(100));
        }
        assertFalse(p.finished());
        assertEquals("recall of node-b: 40 MiB of 256 MiB so far in 0.5 s (deadline 30 s): 40 MiB clean dropped,"
                + " 0 B flushed, 0 B moved", p.summary(t0.plusMillis(500)));
        for (RecallStep s : plan.steps().subList(10, 64)) {
            p.stepDone(s, t0.plusMillis(1800));
        }
        assertTrue(p.finished());
        Instant later = t0.plusSeconds(60);
        assertFalse(p.overdue(later), "a finished recall is not overdue");
        assertEquals(Duration.ofMillis(1800), p.elapsed(later), "time stops at the last step");
        assertEquals("recall of node-b: 256 MiB in 1.8 s (deadline 30 s): 200 MiB clean dropped, 56 MiB flushed, 0 B moved",
                p.summary(later));
        assertEquals(new ReleaseStats(200 * MIB, 56 * MIB, 0, 0, 64, 0), p.toReleaseStats());
        assertThrows(IllegalStateException.class, () -> p.stepDone(plan.steps().get(0), later));
    }

    @Test
    void overdueAndFailuresAreShown() {
        RecallPlan plan = plan();
        RecallProgress p = RecallProgress.start(plan, t0, Duration.ofSeconds(30));
        assertFalse(p.overdue(t0.plusSeconds(30)));
        assertTrue(p.overdue(t0.plusSeconds(31)));
        p.stepFailed(plan.steps().get(60), "ssd: no space left");
        String s = p.summary(t0.plusSeconds(31));
        assertTrue(s.contains("OVERDUE"), s);
        assertTrue(s.contains("1 failed step (last: FLUSH_DOWN of chunk 2.10: ssd: no space left)"), s);
        assertEquals(1, p.toReleaseStats().failures());
    }

    @Test
    void anUnplaceablePlanNeverFinishes_untilAReplanFindsRoom() {
        List<LentChunk> chunks = List.of(new LentChunk(1, 0, 4 * MIB, false, true, null),
                new LentChunk(2, 0, 4 * MIB, true, false, null));
        RecallPlan stuck = RecallPlanner.plan("node-b", chunks, Map.of(), 0);
        RecallProgress p = RecallProgress.start(stuck, t0, Duration.ofSeconds(30));
        p.stepDone(stuck.steps().get(0), t0.plusMillis(10));
        assertFalse(p.finished(), "the dirty chunk is still there");
        assertTrue(p.summary(t0.plusSeconds(1)).endsWith("durable tiers have 0 B free and no other lender has room"),
                p.summary(t0.plusSeconds(1)));
        RecallPlan rest = RecallPlanner.plan("node-b", List.of(chunks.get(1)), Map.of("node-c", 64 * MIB), 0);
        p.replanned(rest, t0.plusSeconds(2));
        assertFalse(p.finished());
        p.stepDone(rest.steps().get(0), t0.plusSeconds(3));
        assertTrue(p.finished());
        assertEquals(new ReleaseStats(4 * MIB, 0, 4 * MIB, 0, 2, 0), p.toReleaseStats());
        assertEquals(Duration.ofSeconds(3), p.elapsed(t0.plusSeconds(9)));
    }
}
