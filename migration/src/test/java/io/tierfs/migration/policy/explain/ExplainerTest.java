package io.tierfs.migration.policy.explain;

import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.Heat;
import io.tierfs.migration.policy.Policies;
import io.tierfs.migration.policy.Policy;
import io.tierfs.migration.policy.TierFill;
import io.tierfs.migration.policy.plan.PrestageRequest;
import io.tierfs.migration.policy.plan.PrestageState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExplainerTest {
    static final long NOW = 50L * 86_400_000L;

    @Test
    void saysWhatWouldMoveWhereAndWhy() {
        Policy p = Policies.parse("""
                {"version": 7, "tiers": [{"name": "dram", "capacity": 100, "victimOrder": "lru"},
                           {"name": "ssd", "promotionHeat": 4}, {"name": "hdd"}],
                 "rules": [
                   {"name": "keep", "match": {"xattrs": {"user.tierfs.keep": "yes"}}, "action": {"exclude": true}},
                   {"name": "ckpt", "match": {"paths": "*.ckpt"}, "action": {"demotionWeight": 100, "placeOn": "ssd"}}
                 ]}""");
        List<FileInfo> files = List.of(
                FileInfo.of(1, "/kept", 30, 0).withXattrs(Map.of("user.tierfs.keep", "yes")),
                FileInfo.of(2, "/run/a.ckpt", 20, 0).withTimes(NOW, NOW),
                FileInfo.of(3, "/old", 10, 0).withTimes(0, 0),
                FileInfo.of(4, "/new", 35, 0).withTimes(NOW, NOW),
                FileInfo.of(5, "/hot", 10, 2).withHeat(new Heat(9, NOW), 9),
                FileInfo.of(6, "/cold", 10, 2),
                FileInfo.of(7, "/job/in", 10, 2));
        var tiers = p.tierStates(List.of(new TierFill("dram", 1 << 20, 95), new TierFill("ssd", 1000, 0),
                new TierFill("hdd", 10_000, 30)));
        Explanation e = Explainer.explain(p, tiers, files,
                List.of(new PrestageRequest("job", List.of("/job/**"), "ssd", NOW + 1000)), NOW, 0);

        assertEquals(7, e.policyVersion());
        assertEquals(7, e.files().size());
        FileVerdict kept = e.files().get(0);
        assertEquals("stay", kept.action());
        assertEquals("rule:keep", kept.decidedBy());
        assertEquals("excluded", kept.residency());
        assertEquals(List.of("keep"), kept.matchedRules());

        FileVerdict ckpt = e.files().get(1);
        assertEquals("demote", ckpt.action());
        assertEquals("ssd", ckpt.toTier());
        assertEquals("watermark:dram", ckpt.decidedBy());
        assertTrue(ckpt.reason().contains("dram at 95% is above its high watermark 90%"), ckpt.reason());
        assertTrue(ckpt.reason().contains("demotionWeight 100 of rule 'ckpt'"), ckpt.reason());
        assertEquals(100, ckpt.weight());
        assertEquals("ssd", ckpt.placement());

        FileVerdict old = e.files().get(2);
        assertEquals("demote", old.action());
        assertTrue(old.reason().contains("victim #2 in lru order"), old.reason());
        FileVerdict recent = e.files().get(3);
        assertEquals("stay", recent.action());
        assertTrue(recent.reason().contains("low watermark 70% before this file"), recent.reason());

        FileVerdict hot = e.files().get(4);
        assertEquals("promote", hot.action());
        assertEquals("promotion:ssd", hot.decidedBy());
        assertEquals(9, hot.heat());
        FileVerdict cold = e.files().get(5);
        assertEquals("stay", cold.action());
        assertNull(cold.toTier());
        assertTrue(cold.reason().contains("slowest tier"), cold.reason());
        assertTrue(cold.reason().contains("below the promotionHeat"), cold.reason());
        FileVerdict job = e.files().get(6);
        assertEquals("prestage", job.action());
        assertEquals("prestage:job", job.decidedBy());

        TierVerdict dram = e.tiers().get(0);
        assertEquals(100, dram.capacityBytes(), "the policy's cap wins over the configured 1 MiB");
        assertEquals("above high watermark", dram.state());
        assertEquals(65, dram.projectedBytes());
        assertEquals(2, dram.movesOut());
        assertEquals(4, e.tiers().get(1).movesIn());
        assertEquals(50, e.bytesToMove());
        assertEquals(PrestageState.ON_TRACK, e.prestages().get(0).state());
    }
}
