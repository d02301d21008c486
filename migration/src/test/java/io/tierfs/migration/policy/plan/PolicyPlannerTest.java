package io.tierfs.migration.policy.plan;

import io.tierfs.migration.policy.Demotion;
import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.FileStat;
import io.tierfs.migration.policy.Heat;
import io.tierfs.migration.policy.LruOrder;
import io.tierfs.migration.policy.Policies;
import io.tierfs.migration.policy.Policy;
import io.tierfs.migration.policy.TierState;
import io.tierfs.migration.policy.WatermarkPolicy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyPlannerTest {
    static final long NOW = 1_000_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    static TierState tier(int i, String name, long cap, long used) {
        return new TierState(i, name, cap, used, (long) (cap * 0.9), (long) (cap * 0.7));
    }

    static List<TierState> tiers(long dramUsed, long ssdUsed, long hddUsed) {
        return List.of(tier(0, "dram", 100, dramUsed), tier(1, "ssd", 1000, ssdUsed), tier(2, "hdd", 10_000, hddUsed));
    }

    static FileInfo file(long ino, String path, long size, int tier, long atime) {
        return FileInfo.of(ino, path, size, tier).withTimes(atime, atime);
    }

    static Policy policy(String rules) {
        return Policies.parse("""
                {"tiers": [{"name": "dram"}, {"name": "ssd", "promotionHeat": 8}, {"name": "hdd"}],
                 "rules": %s}""".formatted(rules));
    }

    static List<Long> inos(List<? extends PlannedMove> moves) {
        return moves.stream().map(PlannedMove::ino).toList();
    }

    @Test
    void theDefaultPolicyPlansExactlyWhatWatermarkPolicyPlans() {
        Random rnd = new Random(42);
        WatermarkPolicy old = new WatermarkPolicy(new LruOrder(), CLOCK);
        PolicyDemotionPolicy neu = new PolicyDemotionPolicy(Policies::defaults, CLOCK, ino -> null);
        for (int round = 0; round < 300; round++) {
            List<TierState> t = new ArrayList<>();
            Map<Integer, List<FileStat>> files = new HashMap<>();
            String[] names = {"dram", "ssd", "hdd"};
            long ino = 1;
            for (int i = 0; i < 3; i++) {
                long cap = 100 + rnd.nextInt(1000);
                List<FileStat> fs = new ArrayList<>();
                long used = 0;
                while (used < cap * (0.5 + rnd.nextDouble() * 0.5)) {
                    long b = 1 + rnd.nextInt((int) cap / 5);
                    fs.add(new FileStat(ino++, b, rnd.nextInt(50)));
                    used += b;
                }
                files.put(i, fs);
                t.add(new TierState(i, names[i], cap, used, (long) (cap * 0.9), (long) (cap * 0.7)));
            }
            assertEquals(old.plan(t, files::get), neu.plan(t, files::get), "round " + round);
        }
    }

    @Test
    void pinnedAndExcludedFilesNeverMove() {
        Policy p = policy("""
                [{"name": "keep", "match": {"paths": "/keep/**"}, "action": {"exclude": true}},
                 {"name": "pin", "match": {"paths": "/pin/**"}, "action": {"pin": "dram"}}]""");
        List<FileInfo> files = List.of(file(1, "/keep/a", 30, 0, 1), file(2, "/pin/b", 30, 0, 2),
                file(3, "/x/c", 20, 0, 3), file(4, "/x/d", 20, 0, 4));
        Plan plan = new PolicyPlanner(p, CLOCK).plan(tiers(100, 0, 0), files, List.of());
        // 100 > 90: the two oldest (1, 2) are kept; 3 then 4 go: 100 - 40 = 60 <= 70
        assertEquals(List.of(new Demotion(3, 0, 1, 20), new Demotion(4, 0, 1, 20)), plan.demotions());
        Map<Long, Reason> why = new HashMap<>();
        plan.stays().forEach(s -> why.put(s.ino(), s.reason()));
        assertEquals("rule:keep", why.get(1L).decidedBy());
        assertEquals("rule:pin", why.get(2L).decidedBy());
        assertTrue(why.get(2L).detail().contains("pinned to dram"));

        // with nothing else to move, the tier stays full rather than moving them
        Plan stuck = new PolicyPlanner(p, CLOCK).plan(tiers(100, 0, 0), files.subList(0, 2), List.of());
        assertTrue(stuck.moves().isEmpty());
        assertEquals(100, stuck.projected().get(0).usedBytes());
    }

    @Test
    void aFilePinnedElsewhereGoesToItsTier() {
        Policy p = policy("[{\"name\": \"apps\", \"match\": {\"paths\": \"/apps/**\"}, \"action\": {\"pin\": \"ssd\"}}]");
        List<FileInfo> files = List.of(file(1, "/apps/bin", 10, 2, 0), file(2, "/apps/lib", 10, 0, 0),
                file(3, "/apps/ok", 10, 1, 0));
        Plan plan = new PolicyPlanner(p, CLOCK).plan(tiers(10, 10, 10), files, List.of());
        assertEquals(2, plan.moves().size());
        assertTrue(plan.moves().contains(new Promotion(1, 2, 1, 10, new Reason("rule:apps",
                "pinned to ssd by rule 'apps'"))));
        assertTrue(plan.moves().contains(new DemotionMove(new Demotion(2, 0, 1, 10), new Reason("rule:apps",
                "pinned to ssd by rule 'apps'"))));
    }

    @Test
    void demotionWeightsComeBeforeTheVictimOrder() {
        Policy p = policy("""
                [{"name": "ckpt", "match": {"paths": "*.ckpt"}, "action": {"demotionWeight": "10 + size"}},
                 {"name": "hot", "match": {"paths": "/hot/**"}, "action": {"demotionWeight": -1}}]""");
        List<FileInfo> files = List.of(file(1, "/hot/old", 10, 0, 1), file(2, "/a/new.ckpt", 10, 0, 900),
                file(3, "/a/newer.ckpt", 20, 0, 950), file(4, "/b/mid", 10, 0, 500), file(5, "/b/old", 10, 0, 2),
                file(6, "/b/x", 35, 0, 600));
        Plan plan = new PolicyPlanner(p, CLOCK).plan(tiers(95, 0, 0), files, List.of());
        // weights: 3 -> 30, 2 -> 20, then weight 0 by LRU: 5 (atime 2), 4 (500)... ; 1 has -1: last
        // 95 - 20 - 10 = 65 <= 70 after two
        assertEquals(List.of(3L, 2L), inos(plan.moves()));
        assertTrue(plan.moves().get(0).reason().detail().contains("demotionWeight 30 of rule 'ckpt'"),
                plan.moves().get(0).reason().detail());
        Map<Long, Reason> why = new HashMap<>();
        plan.stays().forEach(s -> why.put(s.ino(), s.reason()));
        assertTrue(why.get(5L).detail().contains("victim #3 in lru order"), why.get(5L).detail());
        assertTrue(why.get(1L).detail().contains("victim #6 in demotionWeight -1 of rule 'hot'"),
                why.get(1L).detail());
    }

    @Test
    void hotFilesArePromotedToTheFastestTierWhoseThresholdTheyPass() {
        Policy p = Policies.parse("""
                {"tiers": [{"name": "dram", "promotionHeat": 32}, {"name": "ssd", "promotionHeat": 8},
                           {"name": "hdd"}], "heat": {"halfLife": "1h"}}""");
        long hourAgo = NOW - 3_600_000L;
        List<FileInfo> files = List.of(
                file(1, "/warm", 10, 2, 0).withHeat(new Heat(20, hourAgo), 20),    // 10 now: ssd
                file(2, "/cool", 10, 2, 0).withHeat(new Heat(14, hourAgo), 14),    // 7 now: stays
                file(3, "/hot", 10, 2, 0).withHeat(new Heat(100, hourAgo), 100),   // 50: dram
                file(4, "/hot-ssd", 10, 1, 0).withHeat(new Heat(70, hourAgo), 70), // 35: dram
                file(5, "/on-dram", 10, 0, 0).withHeat(new Heat(500, NOW), 500));  // already fastest
        Plan plan = new PolicyPlanner(p, CLOCK).plan(tiers(0, 0, 0), files, List.of());
        assertEquals(List.of(new Promotion(3, 2, 0, 10, new Reason("promotion:dram",
                        "heat 50 >= promotionHeat 32 of dram")),
                new Promotion(4, 1, 0, 10, new Reason("promotion:dram", "heat 35 >= promotionHeat 32 of dram")),
                new Promotion(1, 2, 1, 10, new Reason("promotion:ssd", "heat 10 >= promotionHeat 8 of ssd"))),
                plan.moves());

        // dram at 60 of 100 (low 70): only one 10-byte promotion fits; the next hottest falls back to ssd
        Plan tight = new PolicyPlanner(p, CLOCK).plan(tiers(60, 0, 0), files, List.of());
        assertEquals(List.of(3L, 1L), inos(tight.moves()));
        Stay four = tight.stays().stream().filter(st -> st.ino() == 4).findFirst().orElseThrow();
        assertEquals("promotion:dram", four.reason().decidedBy());
        assertTrue(four.reason().detail().contains("would pass the low watermark"), four.reason().detail());
    }

    @Test
    void prestagesGoByEarliestDeadlineAndReportProgress() {
        Policy p = policy("[]");
        List<FileInfo> files = List.of(file(1, "/job2/a", 100, 2, 0), file(2, "/job2/b", 100, 2, 0),
                file(3, "/job1/in", 300, 2, 0), file(4, "/job1/there", 50, 1, 0), file(5, "/job1/up", 10, 0, 0));
        PrestageRequest late = new PrestageRequest("job2", List.of("/job2/b", "/job2/*"), "ssd", NOW + 10_000);
        PrestageRequest early = new PrestageRequest("job1", List.of("/job1/**"), "ssd", NOW + 5_000);
        Plan plan = new PolicyPlanner(p, CLOCK, 100).plan(tiers(10, 50, 1000), files, List.of(late, early));
        assertEquals(List.of(3L, 2L, 1L), inos(plan.moves()), "job1 first (deadline), then job2 in its path order");
        assertTrue(plan.moves().stream().allMatch(m -> m.kind() == MoveKind.PRESTAGE && m.toTier() == 1));

        PrestageProgress p1 = plan.prestages().get(0);
        assertEquals("job1", p1.id());
        assertEquals(3, p1.filesMatched());
        assertEquals(2, p1.filesDone(), "on ssd or faster already");
        assertEquals(60, p1.bytesDone());
        assertEquals(300, p1.bytesPlanned());
        assertEquals(NOW + 3000, p1.estimatedFinishMillis(), "300 bytes at 100 B/s");
        assertEquals(PrestageState.ON_TRACK, p1.state());
        PrestageProgress p2 = plan.prestages().get(1);
        assertEquals(NOW + 5000, p2.estimatedFinishMillis(), "behind job1's 300 bytes");
        assertEquals(PrestageState.ON_TRACK, p2.state());

        Plan slow = new PolicyPlanner(p, CLOCK, 50).plan(tiers(10, 50, 1000), files, List.of(late, early));
        assertEquals(PrestageState.AT_RISK, slow.prestages().get(0).state(), "300 B at 50 B/s = 6 s > 5 s");

        PrestageProgress done = p1.moved(300, NOW + 2000);
        assertEquals(PrestageState.DONE, done.state());
        assertEquals(360, done.bytesDone());
        assertEquals(1.0, done.fractionDone());
        assertEquals(PrestageState.LATE, p1.withState(NOW + 6000).state());
    }

    @Test
    void prestageIsBlockedWithoutRoomAndProtectsWhatItStaged() {
        Policy p = policy("[{\"name\": \"x\", \"match\": {\"paths\": \"/job/excluded\"}, \"action\": {\"exclude\": true}}]");
        List<FileInfo> files = List.of(file(1, "/job/big", 80, 2, 0), file(2, "/job/excluded", 5, 2, 0),
                file(3, "/job/there", 50, 0, 0), file(4, "/other", 45, 0, 100));
        PrestageRequest q = new PrestageRequest("j", List.of("/job/*"), "dram", NOW + 1000);
        Plan plan = new PolicyPlanner(p, CLOCK).plan(tiers(95, 0, 0), files, List.of(q));
        // dram 95 of 100: /job/big does not fit; /job/there is protected so only /other is demoted
        assertEquals(List.of(new Demotion(4, 0, 1, 45)), plan.demotions());
        assertEquals(1, plan.moves().size());
        PrestageProgress pr = plan.prestages().get(0);
        assertEquals(3, pr.filesMatched());
        assertEquals(2, pr.filesBlocked());
        assertEquals(85, pr.bytesBlocked());
        assertEquals(PrestageState.BLOCKED, pr.state());
        Map<Long, Reason> why = new HashMap<>();
        plan.stays().forEach(s -> why.put(s.ino(), s.reason()));
        assertTrue(why.get(1L).detail().contains("no room"), why.get(1L).detail());
        assertEquals("rule:x", why.get(2L).decidedBy());
        assertEquals("prestage:j", why.get(3L).decidedBy());

        PrestageRequest none = new PrestageRequest("n", List.of("/nope/**"), "dram", NOW);
        assertEquals(PrestageState.NOTHING_MATCHED,
                new PolicyPlanner(p, CLOCK).plan(tiers(0, 0, 0), files, List.of(none)).prestages().get(0).state());
        assertTrue(none.problems(p).isEmpty());
        assertEquals(2, new PrestageRequest("bad", List.of("/a[", "/b"), "tape", 0).problems(p).size());
    }

    @Test
    void movesComeOutInPriorityOrder() {
        Policy p = Policies.parse("""
                {"tiers": [{"name": "dram"}, {"name": "ssd", "promotionHeat": 1}, {"name": "hdd"}]}""");
        List<FileInfo> files = List.of(file(1, "/old", 30, 0, 0), file(2, "/hot", 10, 2, 0).withHeat(new Heat(5, NOW), 5),
                file(3, "/job/x", 10, 2, 0), file(4, "/ssd-old", 500, 1, 0));
        PrestageRequest q = new PrestageRequest("job", List.of("/job/**"), "ssd", NOW + 60_000);
        Plan plan = new PolicyPlanner(p, CLOCK).plan(tiers(95, 950, 0), files, List.of(q));
        assertEquals(List.of(MoveKind.PRESTAGE, MoveKind.DEMOTION, MoveKind.DEMOTION, MoveKind.PROMOTION),
                plan.moves().stream().map(PlannedMove::kind).toList());
        assertEquals(List.of(3L, 4L, 1L, 2L), inos(plan.moves()), "demotions: slowest source tier first");
    }
}
