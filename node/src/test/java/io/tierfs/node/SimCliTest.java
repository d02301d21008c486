package io.tierfs.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `tierfs sim` and `tierfs bench sim` through the real CLI entry point: a report on good input, one line on bad. */
class SimCliTest {
    @TempDir
    Path tmp;

    @Test
    void sampleRunWritesTheWholeReport() throws IOException {
        Path out = tmp.resolve("report");
        CliTest.Outcome o = CliTest.run("sim", "--out", out.toString(), "--no-progress");
        assertEquals(0, o.rc(), o.toString());
        assertTrue(o.out().contains("tiered") && o.out().contains("hdd-only"), "summary table: " + o.out());
        assertTrue(Files.isRegularFile(out.resolve("index.html")), "index.html");
        try (Stream<Path> files = Files.walk(out)) {
            var names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.endsWith(".svg")), "plots: " + names);
            assertTrue(names.stream().anyMatch(n -> n.endsWith(".csv")), "CSV: " + names);
            assertTrue(names.stream().anyMatch(n -> n.endsWith(".json")), "JSON: " + names);
        }
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains(".svg"), "index.html shows the plots");
    }

    @Test
    void badInputGetsOneLineAndNoReport() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.conf"), "sim { tiers = [ { name = x, kind = ssd, "
                + "units = 1, capacity-per-unit = -5GiB } ] }\n");
        Path out = tmp.resolve("never");
        CliTest.Outcome o = CliTest.run("sim", "--config", bad.toString(), "--out", out.toString(), "--no-progress");
        assertEquals(1, o.rc(), o.toString());
        assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
        assertFalse(Files.exists(out), "no report for a refused config");
        CliTest.Outcome missing = CliTest.run("sim", "--trace", tmp.resolve("nope.csv").toString(), "--format", "csv",
                "--out", out.toString(), "--no-progress");
        assertEquals(1, missing.rc(), missing.toString());
        assertEquals(2, CliTest.run("sim", "--frobnicate").rc());
    }

    @Test
    void benchSimPrintsRatesAgainstParsing() {
        CliTest.Outcome o = CliTest.run("bench", "sim", "--json", "--requests", "20000");
        assertEquals(0, o.rc(), o.toString());
        assertTrue(o.out().trim().startsWith("{") && o.out().contains("requests"), o.out());
    }
}
