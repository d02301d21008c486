package io.tierfs.migration.policy.doc;

import io.tierfs.migration.policy.Policies;
import io.tierfs.migration.policy.Policy;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyJsonTest {
    static final String TIERS = """
            "tiers": [ {"name": "dram"}, {"name": "ssd"}, {"name": "hdd"} ]""";

    static List<Problem> problems(String json) {
        Policies.Check c = Policies.check(json);
        assertNull(c.policy(), "an invalid document yields no policy");
        assertFalse(c.problems().isEmpty());
        return c.problems();
    }

    static Problem at(List<Problem> ps, String location) {
        return ps.stream().filter(p -> p.location().equals(location)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem at " + location + " in " + ps));
    }

    @Test
    void theDefaultPolicyIsTodaysBehaviour() {
        Policy p = Policies.defaults();
        assertEquals(List.of("dram", "ssd", "hdd"), p.tiers().stream().map(t -> t.name()).toList());
        p.tiers().forEach(t -> {
            assertEquals(0.90, t.highWatermark());
            assertEquals(0.70, t.lowWatermark());
            assertEquals("lru", t.victimOrder().name());
            assertFalse(t.promotes());
        });
        assertTrue(p.rules().isEmpty());
        assertEquals(MoverSettings.DEFAULT, p.mover());
    }

    @Test
    void theDocumentedExampleIsValidAndRoundTrips() throws Exception {
        String json = Files.readString(Path.of("../docs/policy-example.json"));
        Policies.Check c = Policies.check(json);
        assertTrue(c.ok(), c.problems().toString());
        PolicyDoc doc = c.doc();
        assertEquals(64L << 30, doc.tiers().get(0).capacityBytes());
        assertEquals(0.85, doc.tiers().get(0).highWatermark(), 1e-12);
        assertEquals(OrderKind.WEIGHT, doc.tiers().get(1).victimOrder());
        assertEquals(2 * 3_600_000L, doc.heat().halfLifeMillis());
        assertEquals(400L << 20, doc.mover().bandwidthBytesPerSecond());
        assertEquals(List.of(2000L), doc.rules().get(4).match().gids());
        assertEquals("5", doc.rules().get(3).action().demotionWeight());
        assertEquals(7 * 86_400_000L, doc.rules().get(3).match().atimeAge().min());

        PolicyJson.Read again = PolicyJson.read(PolicyJson.write(doc));
        assertEquals(List.of(), again.problems());
        assertEquals(doc, again.doc());
    }

    @Test
    void malformedJsonSaysWhere() {
        List<Problem> ps = problems("{\n  \"version\": 1,\n  \"tiers\": [ }\n");
        assertEquals(1, ps.size());
        assertEquals("", ps.get(0).location());
        assertTrue(ps.get(0).message().startsWith("malformed JSON at line 3"), ps.get(0).message());
        assertTrue(problems("").get(0).message().contains("empty"));
        assertTrue(problems("[1]").get(0).message().contains("must be a JSON object"));
        assertTrue(problems("{\"version\":1, \"version\":2, " + TIERS + "}").get(0).message().contains("Duplicate"));
    }

    @Test
    void everyUnknownFieldIsListed() {
        List<Problem> ps = problems("""
                {"version": 1, "colour": "red", "tiers": [ {"name": "dram", "hihgWatermark": 0.9},
                 {"name": "hdd"} ], "rules": [ {"match": {"path": "/a"}, "action": {"exclude": true, "x": 1}} ]}""");
        assertEquals(4, ps.size(), ps.toString());
        assertTrue(at(ps, "/colour").message().contains("unknown field 'colour'"));
        assertTrue(at(ps, "/tiers/0/hihgWatermark").message().contains("highWatermark"), "lists the known fields");
        at(ps, "/rules/0/match/path");
        at(ps, "/rules/0/action/x");
    }

    @Test
    void watermarksAreChecked() {
        List<Problem> ps = problems("""
                {"tiers": [ {"name": "dram", "highWatermark": 0.6, "lowWatermark": 0.8},
                            {"name": "ssd", "highWatermark": "120%"},
                            {"name": "hdd", "lowWatermark": -0.1, "highWatermark": "lots"} ]}""");
        assertEquals(4, ps.size(), ps.toString());
        assertTrue(at(ps, "/tiers/0/lowWatermark").message().contains("80% must be below the high watermark 60%"));
        assertTrue(at(ps, "/tiers/1/highWatermark").message().contains("over 100%"));
        assertTrue(at(ps, "/tiers/2/lowWatermark").message().contains("negative"));
        assertTrue(at(ps, "/tiers/2/highWatermark").message().contains("percentage"));
    }

    @Test
    void unknownTiersBadGlobsBadExpressionsAndNegativeSizesAreAllListed() {
        List<Problem> ps = problems("""
                {"version": 3, %s, "rules": [
                  {"name": "a", "match": {"paths": ["/ok/**", "/bad[x"]}, "action": {"placeOn": "nvme"}},
                  {"name": "b", "match": {"size": {"min": "-1GiB"}}, "action": {"pin": "tape"}},
                  {"name": "c", "action": {"demotionWeight": "size * (age_atime"}},
                  {"name": "a", "match": {"size": {"min": "2GiB", "max": "1GiB"}, "xattrs": {"user.other": "*"}},
                   "action": {}},
                  {"name": "d", "match": {"uid": -5, "mtimeAge": {"min": "3 fortnights"}}, "action": {"exclude": 1}},
                  {"name": "e", "action": {"dramReplica": "yes"}}
                ]}""".formatted(TIERS));
        assertTrue(at(ps, "/rules/0/match/paths/1").message().contains("bad glob '/bad[x': column 5"));
        assertTrue(at(ps, "/rules/0/action/placeOn").message().contains("unknown tier 'nvme' (tiers: dram, ssd, hdd)"));
        assertTrue(at(ps, "/rules/1/match/size/min").message().contains("must not be negative"));
        assertTrue(at(ps, "/rules/1/action/pin").message().contains("unknown tier 'tape'"));
        assertTrue(at(ps, "/rules/2/action/demotionWeight").message().contains("column 18"),
                at(ps, "/rules/2/action/demotionWeight").message());
        assertTrue(at(ps, "/rules/3/name").message().contains("duplicate rule name 'a'"));
        assertTrue(at(ps, "/rules/3/match/size").message().contains("must be below max"));
        assertTrue(at(ps, "/rules/3/match/xattrs/user.other").message().contains("user.tierfs."));
        assertTrue(at(ps, "/rules/3/action").message().contains("at least one action"));
        assertTrue(at(ps, "/rules/4/match/uid").message().contains("0 to 4294967295"));
        assertTrue(at(ps, "/rules/4/match/mtimeAge/min").message().contains("unknown unit"));
        assertTrue(at(ps, "/rules/4/action/exclude").message().contains("true or false"));
        assertTrue(at(ps, "/rules/5/action/dramReplica").message().contains("true or false"));
        assertEquals(13, ps.size(), ps.toString());
    }

    @Test
    void tierLevelProblems() {
        List<Problem> ps = problems("""
                {"version": -1, "tiers": [ {"name": "dram", "capacity": "-4GiB", "victimOrder": "mru"},
                  {"name": "dram", "victimOrder": "weight", "promotionHeat": -2},
                  {"name": "hdd", "victimWeight": "size", "promotionHeat": 3, "capacity": "12 parsecs"} ],
                 "heat": {"halfLife": 0}, "mover": {"concurrency": 0, "bandwidth": "-1MiB"}}""");
        at(ps, "/version");
        assertTrue(at(ps, "/tiers/0/capacity").message().contains("negative"));
        assertTrue(at(ps, "/tiers/0/victimOrder").message().contains("known: lru, lfu, heat, size, age, weight"));
        assertTrue(at(ps, "/tiers/1/name").message().contains("duplicate tier"));
        assertTrue(at(ps, "/tiers/1/victimWeight").message().contains("required"));
        assertTrue(at(ps, "/tiers/1/promotionHeat").message().contains("positive"));
        assertTrue(at(ps, "/tiers/2/victimWeight").message().contains("only used with victimOrder 'weight'"));
        assertTrue(at(ps, "/tiers/2/promotionHeat").message().contains("slowest tier"));
        assertTrue(at(ps, "/tiers/2/capacity").message().contains("unknown unit"));
        at(ps, "/heat/halfLife");
        at(ps, "/mover/concurrency");
        at(ps, "/mover/bandwidth");
        assertEquals(12, ps.size(), ps.toString());
        assertTrue(problems("{\"rules\": []}").get(0).location().equals("/tiers"));
        assertTrue(problems("{\"tiers\": []}").get(0).message().contains("at least one tier"));
        assertTrue(problems("{\"tiers\": [{}]}").get(0).location().equals("/tiers/0/name"));
    }

    @Test
    void pinAndExcludeInOneRuleContradict() {
        List<Problem> ps = problems("{" + TIERS + ", \"rules\": [{\"action\": {\"pin\": \"ssd\", \"exclude\": true}}]}");
        assertTrue(at(ps, "/rules/0/action").message().contains("contradict"));
    }

    @Test
    void unitsAndShorthands() {
        Policies.Check c = Policies.check("""
                {%s, "rules": [ {"match": {"paths": "/a/**", "size": {"min": 4096, "max": "1.5GiB"}, "uid": [1, 2],
                  "atimeAge": {"min": 90}, "heat": {"min": 0.5}, "accesses": {"max": 10}},
                  "action": {"demotionWeight": 2.5}} ]}""".formatted(TIERS));
        assertTrue(c.ok(), c.problems().toString());
        Match m = c.doc().rules().get(0).match();
        assertEquals(List.of("/a/**"), m.paths());
        assertEquals(new Range(4096L, 3L << 29), m.size());
        assertEquals(List.of(1L, 2L), m.uids());
        assertEquals(90_000L, m.atimeAge().min());
        assertEquals("2.5", c.doc().rules().get(0).action().demotionWeight());
        assertEquals("rules[0]", c.policy().rules().get(0).name(), "unnamed rules get their position as name");
    }

    @Test
    void liveTiersMustMatch() {
        String json = "{" + TIERS + "}";
        assertTrue(Policies.check(json, List.of("dram", "ssd", "hdd")).ok());
        List<Problem> ps = Policies.check(json, List.of("dram", "hdd")).problems();
        assertTrue(at(ps, "/tiers/1/name").message().contains("unknown tier 'ssd'"));
        ps = Policies.check(json, List.of("ssd", "dram", "hdd")).problems();
        assertTrue(at(ps, "/tiers").message().contains("fastest first"));
    }

    @Test
    void parseThrowsWithEveryProblem() {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
                () -> Policies.parse("{\"tiers\": [{\"name\": \"a\", \"lowWatermark\": 2}], \"x\": 1}"));
        assertEquals(2, e.problems().size());
        assertTrue(e.getMessage().startsWith("invalid policy (2 problems): "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void unitsParseAndFormat() {
        assertEquals(1536L << 20, Units.parseSize("1.5GiB"));
        assertEquals(10_000_000_000L, Units.parseSize("10GB"));
        assertEquals(4096, Units.parseSize("4k"));
        assertEquals(250, Units.parseDuration("250ms"));
        assertEquals(604_800_000L, Units.parseDuration("1w"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("12"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseSize("1 furlong"));
        assertEquals("4GiB", Units.formatSize(4L << 30));
        assertEquals("1000", Units.formatSize(1000));
        assertEquals("7d", Units.formatDuration(604_800_000L));
        assertEquals("1500ms", Units.formatDuration(1500));
    }
}
