package io.tierfs.migration.policy;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatermarkPolicyTest {
    final WatermarkPolicy policy = new WatermarkPolicy(new LruOrder(), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    static TierState tier(int i, long cap, long used) {
        return new TierState(i, "t" + i, cap, used, cap * 9 / 10, cap * 7 / 10);
    }

    @Test
    void nothingMovesBelowTheHighWatermark() {
        List<TierState> tiers = List.of(tier(0, 100, 90), tier(1, 100, 0));
        assertTrue(policy.plan(tiers, i -> List.of(new FileStat(1, 90, 0))).isEmpty());
    }

    @Test
    void leastRecentlyUsedGoFirstUntilUnderTheLowWatermark() {
        List<TierState> tiers = List.of(tier(0, 100, 95), tier(1, 1000, 0));
        List<FileStat> files = List.of(new FileStat(1, 10, 500), new FileStat(2, 10, 100), new FileStat(3, 10, 300),
                new FileStat(4, 10, 200), new FileStat(5, 55, 900));
        List<Demotion> plan = policy.plan(tiers, i -> files);
        // 95 -> need <= 70: ino 2 (100), 4 (200), 3 (300) -> 65
        assertEquals(List.of(new Demotion(2, 0, 1, 10), new Demotion(4, 0, 1, 10), new Demotion(3, 0, 1, 10)), plan);
    }

    @Test
    void victimsSkipAFullNextTierAndPlansCascade() {
        List<TierState> tiers = List.of(tier(0, 100, 100), tier(1, 100, 80), tier(2, 1000, 0));
        Map<Integer, List<FileStat>> files = Map.of(
                0, List.of(new FileStat(1, 15, 1), new FileStat(2, 15, 2)),
                1, List.of(new FileStat(7, 40, 0), new FileStat(8, 40, 5)));
        List<Demotion> plan = policy.plan(tiers, files::get);
        // tier 0: ino 1 -> tier 1 (95 <= 100), ino 2 does not fit tier 1 any more -> tier 2; then 70 <= low
        // tier 1 is now 95 > 90: ino 7 (oldest) -> tier 2, 55 <= 70
        assertEquals(List.of(new Demotion(1, 0, 1, 15), new Demotion(2, 0, 2, 15), new Demotion(7, 1, 2, 40)), plan);
    }

    @Test
    void aFileThatFitsNowhereIsSkipped() {
        List<TierState> tiers = List.of(tier(0, 100, 100), tier(1, 50, 50));
        List<Demotion> plan = policy.plan(tiers, i -> List.of(new FileStat(1, 60, 0), new FileStat(2, 40, 1)));
        assertTrue(plan.isEmpty());
        List<TierState> roomy = List.of(tier(0, 100, 100), tier(1, 50, 0));
        assertEquals(List.of(new Demotion(2, 0, 1, 40)),
                policy.plan(roomy, i -> List.of(new FileStat(1, 60, 0), new FileStat(2, 40, 1))));
    }
}
