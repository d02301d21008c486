package io.tierfs.borrow;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tierfs.common.config.ConfigException;
import io.tierfs.common.config.TierFsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LendSettingsTest {
    @TempDir
    Path state;

    private static LendSettings parse(String hocon) {
        return LendSettings.fromConfig(ConfigFactory.parseString(hocon), "node-a");
    }

    private static String error(String hocon) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(hocon));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void defaults() {
        LendSettings s = LendSettings.defaults("node-a");
        assertTrue(s.enabled());
        assertEquals(new Reserve.OfTotal(0.25), s.reserve());
        assertEquals(4L << 30, s.reserveBytes(16L << 30));
        assertEquals(0, s.capBytes());
        assertEquals(Long.MAX_VALUE, s.effectiveCap());
        assertEquals(256L << 20, s.hysteresisBytes());
        assertEquals(Duration.ofSeconds(1), s.pollInterval());
        assertEquals(Path.of("/dev/shm/tierfs-lend-node-a"), s.dir());
        assertEquals(Path.of("/proc/meminfo"), s.meminfo());
        assertEquals(Duration.ofSeconds(30), s.recallDeadline());
        assertEquals(256L << 20, s.leaseSizeBytes());
        assertEquals(0, s.replicas());
        assertEquals(4, s.recallMovers());
    }

    @Test
    void everyKeyIsRead() {
        LendSettings s = parse("tierfs.lend { enabled = false, reserve = 2g, cap = 512m, hysteresis = 64MiB,"
                + " poll-interval = 250ms, dir = /tmp/lend, meminfo = /tmp/mi, recall-deadline = 10s,"
                + " lease-size = 128m, replicas = 1, recall-movers = 8 }");
        assertFalse(s.enabled());
        assertEquals(2L << 30, s.reserveBytes(1L << 40));
        assertEquals(512L << 20, s.capBytes());
        assertEquals(64L << 20, s.hysteresisBytes());
        assertEquals(Duration.ofMillis(250), s.pollInterval());
        assertEquals(Path.of("/tmp/lend"), s.dir());
        assertEquals(Path.of("/tmp/mi"), s.meminfo());
        assertEquals(Duration.ofSeconds(10), s.recallDeadline());
        assertEquals(128L << 20, s.leaseSizeBytes());
        assertEquals(1, s.replicas());
        assertEquals(8, s.recallMovers());
    }

    @Test
    void capNoneAndZeroMeanUnlimited_reservePercent() {
        assertEquals(Long.MAX_VALUE, parse("tierfs.lend.cap = none").effectiveCap());
        assertEquals(Long.MAX_VALUE, parse("tierfs.lend.cap = 0").effectiveCap());
        assertEquals(1L << 30, parse("tierfs.lend.reserve = \"12.5%\"").reserveBytes(8L << 30));
    }

    @Test
    void badValuesNameTheirKey() {
        assertTrue(error("tierfs.lend.reserve = -1g").contains("tierfs.lend.reserve must not be negative"));
        assertTrue(error("tierfs.lend.reserve = -5").contains("tierfs.lend.reserve must not be negative"));
        assertTrue(error("tierfs.lend.reserve = \"150%\"").contains("tierfs.lend.reserve must be between 0% and 100%"));
        assertTrue(error("tierfs.lend.reserve = \"x%\"").contains("tierfs.lend.reserve"));
        assertTrue(error("tierfs.lend.cap = lots").contains("tierfs.lend.cap: 'lots' is not a size"));
        assertTrue(error("tierfs.lend.hysteresis = 12 parsecs").contains("tierfs.lend.hysteresis"));
        assertTrue(error("tierfs.lend.lease-size = 0").contains("tierfs.lend.lease-size must be positive"));
        assertTrue(error("tierfs.lend.replicas = 2").contains("tierfs.lend.replicas must be 0 or 1"));
        assertTrue(error("tierfs.lend.poll-interval = 0s").contains("tierfs.lend.poll-interval must be positive"));
        assertTrue(error("tierfs.lend.recall-deadline = soon").contains("tierfs.lend.recall-deadline"));
        assertTrue(error("tierfs.lend.enabled = maybe").contains("tierfs.lend.enabled must be true or false"));
        assertTrue(error("tierfs.lend.replicas = one").contains("tierfs.lend.replicas must be a whole number"));
        assertTrue(error("tierfs.lend.dir = \"\"").contains("tierfs.lend.dir must not be empty"));
        assertTrue(error("tierfs.lend.recall-movers = 0").contains("tierfs.lend.recall-movers must be between 1 and"));
        assertTrue(error("tierfs.lend.recall-movers = 65").contains("tierfs.lend.recall-movers must be between 1 and"));
        assertTrue(error("tierfs.lend = 5").contains("tierfs.lend must be an object"));
    }

    @Test
    void unknownKeyIsRejected() {
        String m = error("tierfs.lend { reserv = 2g }");
        assertTrue(m.contains("unknown config key 'tierfs.lend.reserv'"), m);
        assertTrue(m.contains("reserve"), "lists the known keys: " + m);
    }

    @Test
    void theNodesConfigFileAcceptsTheLendSection() {
        Config c = ConfigFactory.parseString("tierfs { chunk-size = 4MiB, lend { reserve = 1g } }");
        TierFsConfig.fromConfig(state, c);
        assertEquals(1L << 30, LendSettings.fromConfig(c, "n1").reserveBytes(0));
    }

    @Test
    void nodeNameMustBeAPathComponent() {
        assertThrows(ConfigException.class, () -> LendSettings.defaults("a/b"));
        assertThrows(ConfigException.class, () -> LendSettings.defaults(""));
    }
}
