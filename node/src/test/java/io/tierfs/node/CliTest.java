package io.tierfs.node;

import io.tierfs.node.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to the CLI gets one clear line, a non-zero exit, and touches nothing. */
class CliTest {
    @TempDir
    Path tmp;

    /** What one in-process run of the CLI returned and printed. */
    record Outcome(int rc, String out, String err) {
    }

    /** Runs the CLI in this JVM, capturing both streams (shared with the live-node tests). */
    static Outcome run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new Main().run(List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertOneLineError(Outcome o, String expected) {
        assertTrue(o.rc() != 0, "exit code must be non-zero: " + o);
        assertTrue(o.err().contains(expected), "error should say '" + expected + "': " + o.err());
        assertEquals(1, o.err().strip().lines().count(), "one line only: " + o.err());
    }

    @Test
    void helpListsEveryCommandAndVersionPrintsIt() {
        Outcome help = run("--help");
        assertEquals(0, help.rc());
        for (String c : List.of("mount", "umount", "status", "where", "bench")) {
            assertTrue(help.out().contains("  " + c), "help lists " + c + ": " + help.out());
        }
        Outcome v = run("--version");
        assertEquals(0, v.rc());
        assertTrue(v.out().startsWith("tierfs 0.1.0"), v.out());
        assertEquals(2, run("frobnicate").rc());
        assertEquals(0, run("mount", "--help").rc());
    }

    @Test
    void missingMountPointIsRefused() {
        Path state = tmp.resolve("state");
        assertOneLineError(run("mount", tmp.resolve("nope").toString(), "--state", state.toString()), "does not exist");
        assertFalse(Files.exists(state), "state dir must not be created");
    }

    @Test
    void mountPointThatIsAFileOrNotEmptyIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path state = tmp.resolve("state");
        assertOneLineError(run("mount", file.toString(), "--state", state.toString()), "not a directory");
        Path full = Files.createDirectory(tmp.resolve("full"));
        Files.writeString(full.resolve("keep"), "data");
        assertOneLineError(run("mount", full.toString(), "--state", state.toString()), "not empty");
        assertEquals("data", Files.readString(full.resolve("keep")));
        assertFalse(Files.exists(state));
    }

    @Test
    void badConfigsAreRefusedBeforeAnythingIsCreated() throws Exception {
        Path mp = Files.createDirectory(tmp.resolve("mnt"));
        Path state = tmp.resolve("state");
        record Case(String hocon, String expected) {
        }
        for (Case c : List.of(
                new Case("tierfs { chunk-sise = 4MiB }", "unknown config key 'tierfs.chunk-sise'"),
                new Case("tierfs { tiers = [ { name = a, kind = ssd, capacity = -5 } ] }", "must not be negative"),
                new Case("tierfs { tiers = [ { name = a, kind = ssd, capacity = 1GiB, high-watermark = 0.5, low-watermark = 0.8 } ] }",
                        "low-watermark < high-watermark"),
                new Case("tierfs { tiers = [ { name = a, kind = ssd, capacity = 1GiB, high-watermark = 1.5 } ] }",
                        "high-watermark <= 1"),
                new Case("tierfs { tiers = [ { name = a, kind = tape } ] }", "unknown kind 'tape'"),
                new Case("tierfs { tiers = [ { name = a, kind = dram, capacity = 1GiB } ] }", "must be durable"),
                new Case("tierfs { chunk-size = 3000 }", "power of two"),
                new Case("tierfs { tiers = [ { name = a, kind = ssd, capacity = lots } ] }", "is not a size"),
                new Case("tierfs { meta { snapshot-evry = 10 } }", "unknown config key 'tierfs.meta.snapshot-evry'"),
                new Case("tierfs { gateway { port = 1 } }", "unknown config key 'tierfs.gateway'"),
                new Case("tierfs {", "config file"))) {
            Path cfg = Files.writeString(tmp.resolve("bad.conf"), c.hocon());
            assertOneLineError(run("mount", mp.toString(), "--state", state.toString(), "--config", cfg.toString()),
                    c.expected());
            assertFalse(Files.exists(state), "state dir must not be created for " + c);
        }
        assertOneLineError(run("mount", mp.toString(), "--state", state.toString(), "--config",
                tmp.resolve("missing.conf").toString()), "does not exist");
    }

    @Test
    void unwritableTierDirectoryIsRefused() throws Exception {
        Path mp = Files.createDirectory(tmp.resolve("mnt"));
        Path state = tmp.resolve("state");
        // Even root cannot create directories under /proc: a tier there is never writable.
        Path cfg = Files.writeString(tmp.resolve("t.conf"),
                "tierfs { tiers = [ { name = hdd, kind = hdd, path = \"/proc/tierfs-no/hdd\", capacity = 1GiB } ] }");
        assertOneLineError(run("mount", mp.toString(), "--state", state.toString(), "--config", cfg.toString()),
                "tier 'hdd'");
        assertFalse(Files.exists(state));
    }

    @Test
    void stateDirOfAnIncompatibleVersionIsRefusedAndLeftAlone() throws Exception {
        Path mp = Files.createDirectory(tmp.resolve("mnt"));
        Path state = Files.createDirectory(tmp.resolve("state"));
        Files.writeString(state.resolve("FORMAT"), "tierfs-state-format 99\n");
        Path cfg = Files.writeString(tmp.resolve("t.conf"), "tierfs { tiers = [ { name = hdd, kind = hdd, path = \""
                + tmp.resolve("hdd") + "\", capacity = 1GiB } ] }");
        assertOneLineError(run("mount", mp.toString(), "--state", state.toString(), "--config", cfg.toString()),
                "incompatible");
        assertEquals("tierfs-state-format 99\n", Files.readString(state.resolve("FORMAT")));
        try (var s = Files.list(state)) {
            assertEquals(List.of("FORMAT"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void statusWithoutARunningNodeSaysSo() {
        Outcome o = run("status", "--state", tmp.resolve("none").toString());
        assertOneLineError(o, "no running TierFS node");
        assertOneLineError(run("umount", tmp.toString()), "is not a mount point");
        assertOneLineError(run("where", tmp.toString()), "not inside a TierFS mount");
        assertEquals(2, run("status", "--bogus").rc());
    }

    @Test
    void metadataSettingsAndPekkoSettingsAreAccepted() throws Exception {
        Path cfg = Files.writeString(tmp.resolve("ok.conf"),
                "tierfs { meta { snapshot-every = 1000 } }\npekko { loglevel = WARNING }\n");
        var c = io.tierfs.common.config.TierFsConfig.load(tmp.resolve("state"), cfg);
        assertEquals(1000, c.raw().getInt("tierfs.meta.snapshot-every"));
        assertEquals("WARNING", c.raw().getString("pekko.loglevel"));
    }
}
