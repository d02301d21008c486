package io.tierfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench recall} end to end with small numbers (real lender server, real engine over lent memory, real
 * evacuation, real files); no timing floor (the machine is shared), only what each recall must have done.
 */
class RecallBenchSmokeTest {
    @TempDir
    Path dir;
    @TempDir
    Path lender;

    @Test
    void recallsEveryFractionThroughTheCliAndCleansUp() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new io.tierfs.node.cli.Main().run(List.of("bench", "recall", "--size", "32m", "--chunk", "1m",
                        "--dir", dir.toString(), "--lender-dir", lender.toString(), "--json"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(32 << 20, json.path("sizeBytes").asLong());
        assertEquals(1 << 20, json.path("chunkBytes").asInt());
        JsonNode fs = json.path("fractions");
        assertEquals(3, fs.size(), json.toString());
        long[] dirty = {0, 16 << 20, 32 << 20};
        for (int i = 0; i < 3; i++) {
            JsonNode f = fs.get(i);
            assertEquals(dirty[i], f.path("dirtyBytes").asLong(), f.toString());
            assertEquals(dirty[i], f.path("flushedBytes").asLong(), f.toString());
            assertEquals((32 << 20) - dirty[i], f.path("droppedCleanBytes").asLong(), f.toString());
            assertEquals(32, f.path("chunks").asInt(), f.toString());
            assertTrue(f.path("recallSeconds").asDouble() > 0, f.toString());
            if (dirty[i] == 0) {
                assertTrue(f.path("ratio").isNull() && f.path("floor").asText().equals("n/a"), f.toString());
            } else {
                assertTrue(f.path("baselineSeconds").asDouble() > 0 && f.path("ratio").asDouble() > 0, f.toString());
            }
        }
        try (var left = Files.list(dir); var leftLent = Files.list(lender)) {
            assertEquals(0, left.count(), "the bench removes its SSD, HDD and layout directories");
            assertEquals(0, leftLent.count(), "the bench removes the lender's chunk directory");
        }
    }

    @Test
    void printsATable() throws Exception {
        RecallBenchOptions o = new RecallBenchOptions(8 << 20, 1 << 20, dir, lender, false);
        RecallBenchReport r = RecallBench.run(o, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        String table = r.toTable();
        assertTrue(table.contains("recall s") && table.contains("bound s") && table.contains("100%")
                && table.contains("n/a"), table);
        RecallBenchReport.Row full = r.rows().get(2);
        assertEquals(full.recallSeconds() / full.baselineSeconds(), full.ratio(), 1e-9);
    }

    @Test
    void parsesTheCommandLine() {
        RecallBenchOptions d = RecallBenchOptions.parse(List.of());
        assertEquals(1L << 30, d.sizeBytes());
        assertEquals(4 << 20, d.chunkBytes());
        assertEquals(16, d.fileCount());
        assertEquals(64L << 20, d.fileBytes());
        assertEquals(Path.of("/dev/shm"), d.lenderDir());
        RecallBenchOptions o = RecallBenchOptions.parse(List.of("--size", "32m", "--chunk", "1m", "--json",
                "--dir", "/x"));
        assertEquals(2, o.fileCount());
        assertEquals(16L << 20, o.fileBytes());
        assertEquals(Path.of("/x"), o.dir());
        assertTrue(o.json());
        assertThrows(IllegalArgumentException.class, () -> RecallBenchOptions.parse(List.of("--chunk", "3m")));
        assertThrows(IllegalArgumentException.class, () -> RecallBenchOptions.parse(List.of("--size", "5m",
                "--chunk", "1m")));
        assertThrows(IllegalArgumentException.class, () -> RecallBenchOptions.parse(List.of("--bogus")));
        assertThrows(IllegalArgumentException.class, () -> RecallBenchOptions.parse(List.of("--size")));
    }
}
