package io.tierfs.node.policy;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.config.ConfigException;
import io.tierfs.common.config.TierFsConfig;
import io.tierfs.migration.policy.StalePolicyVersionException;
import io.tierfs.migration.policy.doc.InvalidPolicyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node's policy holder: default, persistence across restarts, pins as rules, the policy.file key. */
class LivePolicyTest {
    @TempDir
    Path tmp;

    TierFsConfig config(String extra) {
        return TierFsConfig.fromConfig(tmp, ConfigFactory.parseString("""
                tierfs {
                  tiers = [
                    { name = fast, kind = ssd, path = "%s/fast", capacity = 1GiB, high-watermark = 0.8, low-watermark = 0.6 }
                    { name = slow, kind = hdd, path = "%s/slow", capacity = 4GiB }
                  ]
                  %s
                }""".formatted(tmp, tmp, extra)));
    }

    static String doc(long version, String rules) {
        return """
                {"version": %d, "tiers": [{"name": "fast", "highWatermark": 0.8, "lowWatermark": 0.5},
                                          {"name": "slow"}], "rules": [%s]}""".formatted(version, rules);
    }

    @Test
    void defaultsToTheNodesTiersAndPersistsEveryVersionDurably() {
        LivePolicy p = LivePolicy.open(config(""), Clock.systemUTC());
        assertEquals(List.of("fast", "slow"), p.current().tiers().stream().map(t -> t.name()).toList());
        assertEquals(0.8, p.current().doc().tiers().get(0).highWatermark());
        p.apply(doc(0, ""));
        p.pin("/a/b[1].txt", "fast");
        assertEquals("pin:/a/b[1].txt", p.current().doc().rules().get(0).name());
        assertThrows(StalePolicyVersionException.class, () -> p.apply(doc(0, "")));
        assertThrows(InvalidPolicyException.class, () -> p.apply(doc(2, "{\"action\": {\"pin\": \"tape\"}}")));
        assertThrows(InvalidPolicyException.class, () -> p.pin("/x", "tape"));
        assertEquals(2, p.current().version());
        assertTrue(Files.exists(tmp.resolve("policy/current.json")));

        LivePolicy again = LivePolicy.open(config(""), Clock.systemUTC());
        assertEquals(2, again.current().version());
        assertEquals(3, again.history().entries().size());
        assertEquals(p.current().doc(), again.current().doc());
        assertTrue(again.unpin("/a/b[1].txt"));
        assertFalse(again.unpin("/a/b[1].txt"));
    }

    @Test
    void thePolicyFileKeyLoadsADocumentAndRejectsABadOne() throws Exception {
        Path good = Files.writeString(tmp.resolve("good.json"), doc(0, "{\"match\": {\"paths\": \"/x/**\"}, \"action\": {\"exclude\": true}}"));
        LivePolicy p = LivePolicy.open(config("policy.file = \"" + good + "\""), Clock.systemUTC());
        assertEquals(1, p.current().doc().rules().size());
        assertEquals(1, p.current().version());
        // same content again: no new version
        assertEquals(1, LivePolicy.open(config("policy.file = \"" + good + "\""), Clock.systemUTC()).current().version());
        Path bad = Files.writeString(tmp.resolve("bad.json"), doc(0, "{\"action\": {\"pin\": \"tape\"}}"));
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
                () -> LivePolicy.open(config("policy.file = \"" + bad + "\""), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("tape"), e.getMessage());
        assertThrows(ConfigException.class, () -> config("policy.file = \"/no/such/file.json\""));
        assertThrows(ConfigException.class, () -> config("policy.colour = red"));
    }
}
