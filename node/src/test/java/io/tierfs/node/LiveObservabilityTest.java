package io.tierfs.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierfs.it.Await;
import io.tierfs.it.FsSpec;
import io.tierfs.it.MountedTierFs;
import io.tierfs.meta.testing.TestFiles;
import io.tierfs.node.metrics.PrometheusText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Metrics, status page and `top` against a live node (a real `tierfs mount` child process): /metrics parses as
 * Prometheus text and counts what was done through the mount; the status page, loaded by headless Chromium,
 * shows the REST API's figures and a migration (screenshot in node/target/status-page.png); `top --once` prints
 * the tiers.
 */
class LiveObservabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static MountedTierFs fs;
    private static String base;
    private static String token;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void mount() throws Exception {
        fs = (MountedTierFs) MountedTierFs.start(FsSpec.standard());
        base = "http://" + Files.readString(fs.stateDir().resolve("gateway.port")).trim();
        token = Files.readString(fs.stateDir().resolve("gateway.token")).trim();
    }

    @AfterAll
    static void unmount() throws Exception {
        if (fs != null) {
            fs.close();
        }
    }

    private static HttpResponse<String> get(String path, boolean auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (auth) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode api(String path) throws Exception {
        HttpResponse<String> r = get(path, true);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode post(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void metricsParseAsPrometheusTextAndCountWhatWasDoneThroughTheMount() throws Exception {
        Files.write(fs.root().resolve("metrics-file"), new byte[2 << 20]);
        Files.readAllBytes(fs.root().resolve("metrics-file"));
        try {
            Files.readString(fs.root().resolve("no-such-file"));
            fail("reading a missing file must fail");
        } catch (java.nio.file.NoSuchFileException expected) {
            // counted as an ENOENT answer
        }
        PrometheusText[] last = new PrometheusText[1];
        // The metrics system publishes every 10 s (its default period); wait for a publication after the writes.
        Await.until(Duration.ofSeconds(40), "/metrics shows the writes", () -> {
            try {
                HttpResponse<String> r = get("/metrics", false);
                assertEquals(200, r.statusCode());
                assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
                PrometheusText p = PrometheusText.parse(r.body());
                last[0] = p;
                return sum(p, "tierfs_fuse_ops_total", Map.of("op", "write")) > 0
                        && sum(p, "tierfs_tier_write_bytes_total", Map.of()) >= (2 << 20)
                        && sum(p, "tierfs_metadata_ops_total", Map.of("op", "create")) > 0
                        && sum(p, "tierfs_fuse_errors_total", Map.of("errno", "ENOENT")) > 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        PrometheusText p = last[0];
        JsonNode st = api("/api/v1/status");
        for (JsonNode t : st.path("tiers")) {
            assertEquals(t.path("capacityBytes").asDouble(),
                    p.value("tierfs_tier_capacity_bytes", Map.of("tier", t.path("name").asText())));
        }
        assertEquals("summary", p.types().get("tierfs_metadata_op_latency_seconds"));
        assertTrue(p.value("tierfs_metadata_shards_hosted", Map.of()) >= 1, "the root directory's shard at least");
        for (var e : p.types().entrySet()) {
            assertTrue(e.getKey().startsWith("tierfs_"), e.getKey());
            if (e.getValue().equals("counter")) {
                assertTrue(e.getKey().endsWith("_total"), e.getKey());
            }
        }
    }

    private static double sum(PrometheusText p, String name, Map<String, String> labels) {
        double s = 0;
        for (PrometheusText.Sample x : p.samples()) {
            if (x.name().equals(name) && x.labels().entrySet().containsAll(labels.entrySet())) {
                s += x.value();
            }
        }
        return s;
    }

    @Test
    void theStatusPageInChromiumShowsTheRestFiguresAndAMigration() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("headless Chromium is needed for the status page test and is missing at " + CHROMIUM
                    + ": install the Debian packages chromium and chromium-driver (./setup.sh does)");
        }
        byte[] data = new byte[3 << 20];
        new Random(11).nextBytes(data);
        Path f = fs.root().resolve("page-file");
        Files.write(f, data);
        long ino = api("/api/v1/where/page-file").path("ino").asLong();
        JsonNode moved = post("/api/v1/mover/demote-all");
        assertTrue(moved.path("chunksMoved").asLong() >= 3, moved.toString());
        assertEquals(200, get("/", false).statusCode());
        String url = base + "/#token=" + token;

        // The page and the API must agree on figures that did not change while the page loaded.
        String dom = null;
        JsonNode before = null;
        for (int attempt = 0; attempt < 5 && dom == null; attempt++) {
            before = api("/api/v1/status");
            String d = chromium(url, List.of("--dump-dom"));
            JsonNode after = api("/api/v1/status");
            if (before.path("tiers").equals(after.path("tiers")) && before.path("mover").equals(after.path("mover"))) {
                dom = d;
            }
        }
        assertTrue(dom != null, "the node's figures kept changing during 5 page loads");
        assertTrue(dom.contains("data-state=\"ok\""), "the page loaded the API without error: " + excerpt(dom, "id=\"state\""));
        for (JsonNode t : before.path("tiers")) {
            String row = tierRow(dom, t.path("name").asText());
            assertEquals(t.path("usedBytes").asText(), attr(row, "data-used-bytes"), row);
            assertEquals(t.path("capacityBytes").asText(), attr(row, "data-capacity-bytes"), row);
            assertEquals(t.path("files").asText(), attr(row, "data-files"), row);
            assertEquals(t.path("chunks").asText(), attr(row, "data-chunks"), row);
        }
        assertEquals(before.path("mover").path("done").asText(), attr(excerpt(dom, "id=\"mover-done\""), "data-value"));
        assertEquals(before.path("inodes").asText(), attr(excerpt(dom, "id=\"inodes\""), "data-value"));
        Matcher mig = Pattern.compile("<tr class=\"migration\" data-ino=\"" + ino + "\"[^>]*data-from=\"dram\" data-to=\"ssd\"[^>]*data-result=\"MOVED\"")
                .matcher(dom);
        assertTrue(mig.find(), "the migration of inode " + ino + " is listed: " + excerpt(dom, "migrations-recent"));
        assertTrue(dom.contains("<path d=\"M"), "the charts have lines");

        Path shot = Path.of("target", "status-page.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        chromium(url, List.of("--screenshot=" + shot, "--window-size=1280,1700", "--hide-scrollbars"));
        assertTrue(Files.size(shot) > 10_000, "a screenshot was written to " + shot);
    }

    @Test
    void topOnceAndStatusPrintTheTiersOfTheLiveNode() {
        CliTest.Outcome top = CliTest.run("top", "--once", "--state", fs.stateDir().toString());
        assertEquals(0, top.rc(), top.err());
        for (String s : List.of("TIER", "USAGE", "dram", "ssd", "hdd", "mover:", "recent migrations", "lent memory")) {
            assertTrue(top.out().contains(s), s + " in:\n" + top.out());
        }
        assertTrue(!top.out().contains("\u001b["), "no escape codes with --once");
        CliTest.Outcome status = CliTest.run("status", "--state", fs.stateDir().toString());
        assertEquals(0, status.rc(), status.err());
        assertTrue(status.out().lines().anyMatch(l -> l.startsWith("dram ") || l.startsWith("dram\t") || l.matches("^dram\\s+dram.*")),
                status.out());
    }

    private static String chromium(String url, List<String> mode) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("tierfs-chromium-");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=6000"));
        cmd.addAll(mode);
        cmd.add(url);
        Path out = profile.resolve("stdout");
        Path err = profile.resolve("stderr");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("chromium did not finish within 90 s: " + Files.readString(err));
            }
            assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err));
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            removeProfile(profile);
        }
    }

    /** The browser's profile directory goes with the test (a helper process may still be writing: try twice). */
    private static void removeProfile(Path profile) {
        for (int attempt = 1; ; attempt++) {
            try {
                TestFiles.deleteTree(profile);
                return;
            } catch (IOException e) {
                if (attempt == 2) {
                    System.err.println("could not remove the chromium profile " + profile + ": " + e);
                    return;
                }
            }
        }
    }

    private static String tierRow(String dom, String tier) {
        Matcher m = Pattern.compile("<tr data-tier=\"" + Pattern.quote(tier) + "\"[^>]*>").matcher(dom);
        assertTrue(m.find(), "a row for tier " + tier + " in " + excerpt(dom, "id=\"tiers\""));
        return m.group();
    }

    private static String attr(String tag, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(tag);
        assertTrue(m.find(), name + " in " + tag);
        return m.group(1);
    }

    private static String excerpt(String dom, String near) {
        int i = Math.max(0, dom.indexOf(near));
        return dom.substring(i, Math.min(dom.length(), i + 1500));
    }
}
