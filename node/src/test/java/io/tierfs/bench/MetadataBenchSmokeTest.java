package io.tierfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench metadata} end to end with small numbers: 1 and 3 real nodes (journal on disk), both layouts, and the
 * mdtest-like phases through a real FUSE mount against tmpfs. Asserts that the report is complete and its numbers
 * are positive and consistent; no timing floor (that is the benchmark's job, not a test's).
 */
class MetadataBenchSmokeTest {
    private static final List<String> PHASES = List.of("create", "stat", "rename in dir", "unlink", "rename across dirs");

    @TempDir
    Path state;

    @Test
    void measuresOneAndThreeNodesEveryLayoutAndTheMount() throws Exception {
        MetadataBenchOptions o = MetadataBenchOptions.defaults().withFiles(200).withClients(3).withDirs(6)
                .withMount(true).withState(state);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        MetadataBenchReport r = MetadataBench.run(o, new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertEquals(6, r.harness().size(), "1 and 3 nodes, three layouts each");
        Set<String> seen = new HashSet<>();
        for (MetadataBenchReport.HarnessRun run : r.harness()) {
            seen.add(run.nodes() + "/" + run.layout());
            assertEquals(PHASES, run.phases().stream().map(PhaseResult::phase).toList(), run.toString());
            assertTrue(run.phases().stream().mapToDouble(PhaseResult::cpuSeconds).sum() > 0, "CPU measured: " + run);
            for (PhaseResult p : run.phases()) {
                assertPositive(p);
                assertEquals(p.phase().equals("rename across dirs") ? 20 : 200, p.ops(), p.toString());
            }
        }
        assertEquals(Set.of("1/many-dirs", "1/one-dir", "1/unique-dirs", "3/many-dirs", "3/one-dir", "3/unique-dirs"),
                seen);

        assertEquals(15, r.efficiency().size(), "every phase of every layout compared");
        for (MetadataBenchReport.Efficiency e : r.efficiency()) {
            assertTrue(e.ratio() >= 0 && e.oneNodeOpsPerCpuSec() >= 0 && e.threeNodesOpsPerCpuSec() >= 0, e.toString());
            assertEquals(e.ratio() >= MetadataBenchReport.FLOOR_EFFICIENCY, e.met(), e.toString());
        }
        assertEquals(6 + 15, r.floors().size(), "creates and stats per layout, and every efficiency ratio");
        assertEquals(r.floors().stream().allMatch(MetadataBenchReport.Floor::met), r.floorsMet());

        assertEquals(3, r.mount().size(), "every layout through the mount");
        for (MetadataBenchReport.MountRun m : r.mount()) {
            assertEquals(List.of("create", "stat", "unlink"), m.tierfs().stream().map(PhaseResult::phase).toList());
            assertEquals(3, m.tmpfs().size());
            m.tierfs().forEach(MetadataBenchSmokeTest::assertPositive);
            m.tmpfs().forEach(MetadataBenchSmokeTest::assertPositive);
            m.ratios().forEach(x -> assertTrue(x > 0, m.toString()));
        }

        String table = r.toTable();
        assertTrue(table.contains("3 nodes / 1 node") && table.contains("through the mount")
                && table.contains("floors") && table.contains("rename across dirs"), table);
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertEquals(200, json.path("setup").path("files").asInt());
        assertEquals(6, json.path("harness").size());
        assertTrue(json.path("harness").get(0).path("phases").get(0).path("opsPerSec").asDouble() > 0, r.toJson());
        assertTrue(json.path("harness").get(0).path("phases").get(0).has("opsPerCpuSec"), r.toJson());
        assertEquals(15, json.path("efficiency").size());
        assertTrue(json.path("floorsMet").isBoolean());
        try (var left = Files.list(state)) {
            assertEquals(0, left.count(), "the bench removes its state");
        }
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("starting 3 node(s)"));
    }

    /** CPU time moves in 10 ms ticks (see ProcessCpu): a phase this short may have taken none. */
    private static void assertPositive(PhaseResult p) {
        assertTrue(p.ops() > 0 && p.seconds() > 0 && p.opsPerSec() > 0, p.toString());
        assertTrue(p.cpuSeconds() >= 0 && (p.cpuSeconds() == 0) == (p.opsPerCpuSec() == 0), p.toString());
        assertTrue(p.p50Micros() > 0 && p.p99Micros() >= p.p50Micros(), p.toString());
    }

    @Test
    void parsesTheCommandLine() {
        MetadataBenchOptions d = MetadataBenchOptions.parse(List.of());
        assertEquals(List.of(1, 3), d.nodeCounts());
        assertEquals(4, d.clients());
        assertEquals(List.of(MetaLayout.MANY_DIRS, MetaLayout.ONE_DIR, MetaLayout.UNIQUE_DIRS), d.layouts());
        assertEquals(List.of(MetaLayout.MANY_DIRS, MetaLayout.ONE_DIR),
                MetadataBenchOptions.parse(List.of("--layout", "both")).layouts());
        assertEquals(List.of(MetaLayout.UNIQUE_DIRS), MetadataBenchOptions.parse(List.of("--layout", "unique-dirs")).layouts());
        assertEquals(d.layouts(), MetadataBenchOptions.parse(List.of("--layout", "all")).layouts());
        assertFalse(d.mount() || d.json());
        MetadataBenchOptions o = MetadataBenchOptions.parse(List.of("--nodes", "3", "--clients", "8", "--files",
                "1000", "--layout", "one-dir", "--mount", "--json", "--state", "/var/tmp", "--dirs", "16"));
        assertEquals(List.of(3), o.nodeCounts());
        assertEquals(8, o.clients());
        assertEquals(1000, o.files());
        assertEquals(16, o.dirs());
        assertEquals(List.of(MetaLayout.ONE_DIR), o.layouts());
        assertTrue(o.mount() && o.json());
        assertEquals(Path.of("/var/tmp"), o.state().orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> MetadataBenchOptions.parse(List.of("--nodes", "2")));
        assertThrows(IllegalArgumentException.class, () -> MetadataBenchOptions.parse(List.of("--layout", "flat")));
        assertThrows(IllegalArgumentException.class, () -> MetadataBenchOptions.parse(List.of("--files", "0")));
        assertThrows(IllegalArgumentException.class, () -> MetadataBenchOptions.parse(List.of("--files")));
        assertThrows(IllegalArgumentException.class, () -> MetadataBenchOptions.parse(List.of("--bogus")));
    }

    @Test
    void isWiredIntoTheCli() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new io.tierfs.node.cli.Main().run(List.of("bench", "metadata", "--nodes", "2"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, rc);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--nodes takes 1, 3 or both"), err.toString());
        out.reset();
        assertEquals(0, new io.tierfs.node.cli.Main().run(List.of("bench", "--help"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(MetadataBenchOptions.USAGE), out.toString());
    }

    @Test
    void spreadsClientsOverEveryDirectory() {
        int clients = 4;
        int dirs = 8;
        for (int c = 0; c < clients; c++) {
            Set<Integer> visited = new HashSet<>();
            for (int i = c; i < 64; i += clients) {
                visited.add(DirSpread.index(i, clients, dirs));
            }
            assertEquals(dirs, visited.size(), "client " + c + " walks through every directory");
        }
        Set<Integer> firsts = new HashSet<>();
        for (int c = 0; c < clients; c++) {
            firsts.add(DirSpread.index(c, clients, dirs));
        }
        assertEquals(clients, firsts.size(), "clients start in different directories");
        assertEquals(0, DirSpread.index(12345, clients, 1));
    }

    @Test
    void percentilesAreNearestRank() {
        long[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, PhaseRunner.percentile(v, 0.50));
        assertEquals(10, PhaseRunner.percentile(v, 0.99));
        assertEquals(0, PhaseRunner.percentile(new long[0], 0.5));
    }
}
