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

/** {@code bench dataplane} end to end with small numbers (real server, real client, real files); no timing floor. */
class DataPlaneBenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void measuresBothSidesThroughTheCliAndCleansUp() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new io.tierfs.node.cli.Main().run(List.of("bench", "dataplane", "--size", "16m", "--chunk", "2m",
                        "--block", "512k", "--threads", "2", "--dir", dir.toString(), "--json"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(16 << 20, json.path("sizeBytes").asLong());
        assertEquals(2 << 20, json.path("chunkBytes").asInt());
        for (String side : List.of("local", "remote")) {
            assertTrue(json.path(side).path("writeMiBps").asDouble() > 0, json.toString());
            assertTrue(json.path(side).path("readMiBps").asDouble() > 0, json.toString());
        }
        assertTrue(json.path("ratio").path("write").asDouble() > 0 && json.path("ratio").path("read").asDouble() > 0);
        assertTrue(json.path("ping").path("p99Micros").asDouble() >= json.path("ping").path("p50Micros").asDouble());
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "the bench removes its chunk directories");
        }
    }

    @Test
    void printsATable() throws Exception {
        DataPlaneBenchOptions o = new DataPlaneBenchOptions(8 << 20, 4 << 20, 1 << 20, 2, dir, false);
        DataPlaneBenchReport r = DataPlaneBench.run(o, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        String table = r.toTable();
        assertTrue(table.contains("sequential write") && table.contains("sequential read")
                && table.contains("remote/local") && table.contains("ping round trip"), table);
        assertEquals(r.remote().readMiBps() / r.local().readMiBps(), r.readRatio(), 1e-9);
    }

    @Test
    void parsesTheCommandLine() {
        DataPlaneBenchOptions d = DataPlaneBenchOptions.parse(List.of());
        assertEquals(1L << 30, d.sizeBytes());
        assertEquals(4 << 20, d.chunkBytes());
        assertEquals(Path.of("/dev/shm"), d.dir());
        DataPlaneBenchOptions o = DataPlaneBenchOptions.parse(List.of("--size", "64m", "--chunk", "1m", "--json",
                "--threads", "3"));
        assertEquals(64L << 20, o.sizeBytes());
        assertEquals(1 << 20, o.chunkBytes());
        assertEquals(3, o.threads());
        assertTrue(o.json());
        assertThrows(IllegalArgumentException.class, () -> DataPlaneBenchOptions.parse(List.of("--size", "3m")));
        assertThrows(IllegalArgumentException.class, () -> DataPlaneBenchOptions.parse(List.of("--chunk", "3m")));
        assertThrows(IllegalArgumentException.class, () -> DataPlaneBenchOptions.parse(List.of("--bogus")));
        assertThrows(IllegalArgumentException.class, () -> DataPlaneBenchOptions.parse(List.of("--threads")));
    }
}
