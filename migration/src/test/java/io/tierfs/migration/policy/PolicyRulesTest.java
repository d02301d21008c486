package io.tierfs.migration.policy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyRulesTest {
    static final long NOW = 100L * 86_400_000L;
    static final long HOUR = 3_600_000L;

    /** A policy with one rule whose match is {@code match} and which excludes. */
    static Policy only(String match) {
        return Policies.parse("""
                {"tiers": [{"name": "dram"}, {"name": "ssd"}], "heat": {"halfLife": "1h"},
                 "rules": [{"name": "r", "match": %s, "action": {"exclude": true}}]}""".formatted(match));
    }

    static boolean matches(String match, FileInfo f) {
        return only(match).decide(f, NOW).matchedRules().contains("r");
    }

    static final FileInfo F = FileInfo.of(7, "/scratch/run1/out.h5", 10L << 20, 0)
            .withOwner(1000, 2000).withTimes(NOW - 2 * 86_400_000L, NOW - HOUR)
            .withHeat(new Heat(8, NOW - HOUR), 12)
            .withXattrs(Map.of("user.tierfs.class", "scratch"));

    @Test
    void eachMatcher() {
        assertTrue(matches("{}", F));
        assertTrue(matches("{\"paths\": \"/scratch/**\"}", F));
        assertTrue(matches("{\"paths\": [\"/home/**\", \"*.h5\"]}", F));
        assertFalse(matches("{\"paths\": \"/home/**\"}", F));

        assertTrue(matches("{\"size\": {\"min\": \"10MiB\"}}", F));
        assertFalse(matches("{\"size\": {\"max\": \"10MiB\"}}", F), "max is exclusive");
        assertTrue(matches("{\"size\": {\"min\": \"1MiB\", \"max\": \"11MiB\"}}", F));

        assertTrue(matches("{\"uid\": [5, 1000]}", F));
        assertFalse(matches("{\"uid\": 5}", F));
        assertTrue(matches("{\"gid\": 2000}", F));
        assertFalse(matches("{\"gid\": [1000]}", F));

        assertTrue(matches("{\"mtimeAge\": {\"min\": \"2d\"}}", F));
        assertFalse(matches("{\"mtimeAge\": {\"min\": \"3d\"}}", F));
        assertTrue(matches("{\"atimeAge\": {\"max\": \"2h\"}}", F));
        assertFalse(matches("{\"atimeAge\": {\"max\": \"30m\"}}", F));

        assertTrue(matches("{\"heat\": {\"min\": 4}}", F), "8 an hour ago is 4 now");
        assertFalse(matches("{\"heat\": {\"min\": 4.01}}", F));
        assertTrue(matches("{\"accesses\": {\"min\": 12, \"max\": 13}}", F));
        assertFalse(matches("{\"accesses\": {\"min\": 13}}", F));

        assertTrue(matches("{\"xattrs\": {\"user.tierfs.class\": \"scratch\"}}", F));
        assertTrue(matches("{\"xattrs\": {\"user.tierfs.class\": \"*\"}}", F));
        assertFalse(matches("{\"xattrs\": {\"user.tierfs.class\": \"keep\"}}", F));
        assertFalse(matches("{\"xattrs\": {\"user.tierfs.pin\": \"*\"}}", F), "absent attribute");

        assertFalse(matches("{\"paths\": \"/scratch/**\", \"uid\": 5}", F), "criteria are ANDed");
    }

    @Test
    void firstMatchingRuleDecidesEachAspectSeparately() {
        Policy p = Policies.parse("""
                {"tiers": [{"name": "dram"}, {"name": "ssd"}, {"name": "hdd"}],
                 "rules": [
                   {"name": "weights", "match": {"paths": "/scratch/**"}, "action": {"demotionWeight": "size / 1MiB"}},
                   {"name": "pin-ssd", "match": {"uid": 1000}, "action": {"pin": "ssd", "placeOn": "ssd"}},
                   {"name": "exclude-all", "action": {"exclude": true, "demotionWeight": 99}},
                   {"name": "place-dram", "action": {"placeOn": "dram"}}
                 ]}""");
        FileDecision d = p.decide(F, NOW);
        assertEquals(List.of("weights", "pin-ssd", "exclude-all", "place-dram"), d.matchedRules());
        assertEquals(Residency.PINNED, d.residency());
        assertEquals(1, d.pinTier());
        assertEquals("pin-ssd", d.residencyRule());
        assertEquals(10, d.weight());
        assertEquals("weights", d.weightRule());
        assertEquals(new Placement(1, "ssd", "pin-ssd"), d.placement());

        FileInfo other = FileInfo.of(8, "/home/x", 1, 0);
        FileDecision e = p.decide(other, NOW);
        assertEquals(Residency.EXCLUDED, e.residency());
        assertEquals("exclude-all", e.residencyRule());
        assertEquals(99, e.weight());
        assertEquals(new Placement(0, "dram", "place-dram"), e.placement());
        assertEquals(e.placement(), p.placementFor(other, NOW).orElseThrow());
    }

    @Test
    void dramReplicaIsAskedByTheFirstMatchingRuleThatSetsIt() {
        Policy p = Policies.parse("""
                {"tiers": [{"name": "dram"}, {"name": "ssd"}, {"name": "hdd"}],
                 "rules": [
                   {"name": "no-replica", "match": {"paths": "/scratch/tmp/**"}, "action": {"placeOn": "ssd"}},
                   {"name": "ckpt", "match": {"paths": "*.chk"}, "action": {"dramReplica": true}}
                 ]}""");
        assertEquals("ckpt", p.dramReplicaFor(FileInfo.of(3, "/scratch/run/a.chk", 0, 0), NOW).orElseThrow());
        assertTrue(p.dramReplicaFor(FileInfo.of(4, "/scratch/run/a.out", 0, 0), NOW).isEmpty());
        assertTrue(Policies.defaults().dramReplicaFor(F, NOW).isEmpty());
        Policy again = Policies.parse(io.tierfs.migration.policy.doc.PolicyJson.write(p.doc()));
        assertEquals("ckpt", again.dramReplicaFor(FileInfo.of(3, "/scratch/run/a.chk", 0, 0), NOW).orElseThrow(),
                "kept when written back in the canonical form");
    }

    @Test
    void noRuleMeansFreeWeightZeroDefaultPlacement() {
        FileDecision d = Policies.defaults().decide(F, NOW);
        assertEquals(Residency.FREE, d.residency());
        assertEquals(0, d.weight());
        assertNull(d.placement());
        assertNull(d.residencyRule());
        assertTrue(Policies.defaults().placementFor(F, NOW).isEmpty());
    }

    @Test
    void tierStatesUseThePolicysWatermarksAndCaps() {
        Policy p = Policies.parse("""
                {"tiers": [{"name": "dram", "capacity": 1000, "highWatermark": "80%", "lowWatermark": "50%"},
                           {"name": "ssd"}]}""");
        List<TierState> s = p.tierStates(List.of(new TierFill("dram", 5000, 900), new TierFill("ssd", 10_000, 1)));
        assertEquals(new TierState(0, "dram", 1000, 900, 800, 500), s.get(0));
        assertEquals(new TierState(1, "ssd", 10_000, 1, 9000, 7000), s.get(1));
    }
}
