package io.tierfs.simulator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimCommandLineTest {
    @TempDir
    Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return SimCommandLine.run(List.of(args), new PrintStream(out), new PrintStream(err));
    }

    @Test
    void theSampleRunsAndWritesTheReportWithoutAProgressBarWhenNotATerminal() {
        assertEquals(0, run("--config", "sim.conf", "--out", dir.toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("vs hdd-only") && text.contains("recall at"), text);
        assertTrue(Files.exists(dir.resolve("index.html")));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shippedSampleTracesRunInBothFormats() throws Exception {
        Path csv = dir.resolve("checkpoint.csv");
        Path log = dir.resolve("zipf-echofs.log");
        try (var a = getClass().getResourceAsStream("/samples/checkpoint.csv");
             var b = getClass().getResourceAsStream("/samples/zipf-echofs.log")) {
            Files.copy(a, csv);
            Files.copy(b, log);
        }
        assertEquals(0, run("--trace", csv.toString(), "--format", "csv", "--out", dir.resolve("r1").toString(), "--progress"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("100%"));
        assertEquals(0, run("--trace", log.toString(), "--format", "echofs", "--out", dir.resolve("r2").toString(), "--json"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"runs\""));
    }

    @Test
    void badInputIsOneLineAndExitOneUsageIsExitTwo() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "0,write,/a,0,1\n1,write\n");
        assertEquals(1, run("--trace", bad.toString(), "--out", dir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("tierfs sim: bad.csv line 2: expected 5 or 6"), err.toString());
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "sim { tiers = [ { name = a, kind = ssd, capacity-per-unit = 1GiB, colour = red } ] }");
        assertEquals(1, run("--config", conf.toString(), "--out", dir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("sim.tiers[0].colour: unknown key"));
        assertEquals(2, run("--frobnicate"));
        assertEquals(2, run("--format", "csv"));
        assertEquals(1, run("--trace", dir.resolve("missing.csv").toString()));
    }
}
