package io.tierfs.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierfs.it.Await;
import io.tierfs.it.FsSpec;
import io.tierfs.it.MountedTierFs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live policy on a real mount (a `tierfs mount` child process, 1 MiB chunks, 16 MiB DRAM, 64 MiB SSD): REST
 * and CLI, promotion of a hot file, demotion of cold ones, pins, pre-stage, live policy change, bad input.
 */
class PolicyLiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static MountedTierFs fs;

    record Reply(int status, JsonNode body, String contentType) {
    }

    @BeforeAll
    static void mount() throws Exception {
        fs = (MountedTierFs) MountedTierFs.start(FsSpec.standard());
    }

    @AfterAll
    static void unmount() throws Exception {
        if (fs != null) {
            fs.close();
        }
    }

    static Reply call(String method, String path, String body, boolean withToken) throws Exception {
        String addr = Files.readString(fs.stateDir().resolve("gateway.port")).trim();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + addr + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (withToken) {
            b.header("Authorization", "Bearer " + Files.readString(fs.stateDir().resolve("gateway.token")).trim());
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()),
                r.headers().firstValue("Content-Type").orElse(""));
    }

    static Reply call(String method, String path, String body) throws Exception {
        return call(method, path, body, true);
    }

    static long version() throws Exception {
        Reply r = call("GET", "/api/v1/policy", null);
        assertEquals(200, r.status(), r.body().toString());
        return r.body().path("version").asLong();
    }

    /** A policy document on the test node's tiers, based on the current version. */
    static String doc(long version, String dramExtra, String rules) {
        return """
                {"version": %d,
                 "tiers": [
                   {"name": "dram", "highWatermark": 0.8, "lowWatermark": 0.5%s},
                   {"name": "ssd", "highWatermark": 0.8, "lowWatermark": 0.5},
                   {"name": "hdd"}],
                 "rules": [%s]}""".formatted(version, dramExtra, rules);
    }

    static Set<String> tiersOf(String name) throws Exception {
        Reply r = call("GET", "/api/v1/files/" + name, null);
        assertEquals(200, r.status(), r.body().toString());
        Set<String> out = new HashSet<>();
        r.body().path("chunks").forEach(c -> out.add(c.path("tier").asText()));
        return out;
    }

    static byte[] write(String name, int mib) throws Exception {
        byte[] data = new byte[mib << 20];
        new Random(name.hashCode()).nextBytes(data);
        Files.write(fs.root().resolve(name), data);
        return data;
    }

    @Test
    void badInputIsRefusedWithEveryProblemAndLeavesThePolicyUnchanged() throws Exception {
        long v = version();
        String before = call("GET", "/api/v1/policy", null).body().toString();
        record Case(String what, String method, String path, String body, int status, String mustMention) {
        }
        List<Case> cases = List.of(
                new Case("malformed JSON", "PUT", "/api/v1/policy", "{\"version\": " + v + ", \"tiers\": [", 400, "line"),
                new Case("unknown field", "PUT", "/api/v1/policy",
                        doc(v, "", "").replace("\"rules\"", "\"colour\": 1, \"rules\""), 400, "colour"),
                new Case("low above high", "PUT", "/api/v1/policy",
                        doc(v, "", "").replace("\"lowWatermark\": 0.5}", "\"lowWatermark\": 0.9}"), 400, "lowWatermark"),
                new Case("watermark over 100%", "PUT", "/api/v1/policy",
                        doc(v, "", "").replace("\"highWatermark\": 0.8, \"lowWatermark\": 0.5}",
                                "\"highWatermark\": \"120%\", \"lowWatermark\": 0.5}"), 400, "highWatermark"),
                new Case("unknown tier", "PUT", "/api/v1/policy",
                        doc(v, "", "{\"match\": {\"paths\": \"/a\"}, \"action\": {\"pin\": \"tape\"}}"), 400, "tape"),
                new Case("bad glob", "PUT", "/api/v1/policy",
                        doc(v, "", "{\"match\": {\"paths\": \"/bad[x\"}, \"action\": {\"exclude\": true}}"), 400, "glob"),
                new Case("bad expression", "PUT", "/api/v1/policy",
                        doc(v, "", "{\"action\": {\"demotionWeight\": \"size * (age_atime\"}}"), 400, "expression"),
                new Case("stale version", "PUT", "/api/v1/policy", doc(v + 7, "", ""), 409, "stale"),
                new Case("validate lists every problem", "POST", "/api/v1/policy:validate",
                        doc(v, "", "{\"match\": {\"paths\": \"/bad[x\"}, \"action\": {\"pin\": \"tape\"}}"), 400, "tape"),
                new Case("pin to unknown tier", "POST", "/api/v1/files/nowhere:pin", "{\"tier\": \"ssd\"}", 404, "ENOENT"),
                new Case("pin body with unknown field", "POST", "/api/v1/files/x:pin", "{\"tier\": \"ssd\", \"x\": 1}",
                        400, "unknown field"),
                new Case("pre-stage with bad glob and unknown tier", "POST", "/api/v1/prestage",
                        "{\"paths\": [\"/a[\"], \"tier\": \"tape\"}", 400, "tape"),
                new Case("unknown pre-stage", "GET", "/api/v1/prestage/nope", null, 404, "nope"));
        for (Case c : cases) {
            Reply r = call(c.method(), c.path(), c.body());
            assertEquals(c.status(), r.status(), c.what() + ": " + r.body());
            assertTrue(r.contentType().startsWith("application/problem+json"), c.what() + ": " + r.contentType());
            assertTrue(r.body().toString().contains(c.mustMention()), c.what() + ": " + r.body());
        }
        Reply two = call("POST", "/api/v1/policy:validate",
                doc(v, "", "{\"match\": {\"paths\": \"/bad[x\"}, \"action\": {\"pin\": \"tape\"}}"));
        assertEquals(2, two.body().path("errors").size(), "both problems listed: " + two.body());
        assertEquals(before, call("GET", "/api/v1/policy", null).body().toString(), "policy unchanged");
        Reply noToken = call("PUT", "/api/v1/policy", doc(v, "", ""), false);
        assertEquals(401, noToken.status());
        assertEquals(v, version());

        CliTest.Outcome cli = CliTest.run("policy", "set", "/nonexistent/policy.json", "--state", fs.stateDir().toString());
        assertEquals(1, cli.rc());
        Path bad = Files.writeString(fs.stateDir().resolveSibling("bad-policy.json"),
                doc(v, "", "").replace("\"lowWatermark\": 0.5}", "\"lowWatermark\": 0.9}"));
        cli = CliTest.run("policy", "set", bad.toString(), "--state", fs.stateDir().toString());
        assertEquals(1, cli.rc());
        assertEquals(1, cli.err().strip().lines().count(), "one line: " + cli.err());
        assertTrue(cli.err().contains("lowWatermark"), cli.err());
        assertEquals(2, CliTest.run("policy", "frobnicate", "--state", fs.stateDir().toString()).rc());
        assertEquals(2, CliTest.run("pin", "--state", fs.stateDir().toString()).rc());
    }

    @Test
    void newFilesMatchingAPlacementRuleLandOnItsTier() throws Exception {
        Files.createDirectories(fs.root().resolve("scratch"));
        long v = version();
        String rules = "{\"name\": \"scratch-on-ssd\", \"match\": {\"paths\": [\"/scratch/**\"]}, "
                + "\"action\": {\"placeOn\": \"ssd\"}}";
        Reply put = call("PUT", "/api/v1/policy", doc(v, "", rules));
        assertEquals(200, put.status(), put.body().toString());
        byte[] data = write("scratch/out.dat", 2);
        write("elsewhere.dat", 1);
        assertEquals(Set.of("ssd"), tiersOf("scratch/out.dat"), "placeOn: new data straight to ssd");
        assertEquals(Set.of("dram"), tiersOf("elsewhere.dat"), "no rule: the fastest tier");
        assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(fs.root().resolve("scratch/out.dat"))));
    }

    @Test
    void aPinIsKnownAfterARestartBeforeAnyoneNamesTheFileAgain() throws Exception {
        write("kept.dat", 1);
        CliTest.Outcome pin = CliTest.run("pin", fs.root().resolve("kept.dat").toString(), "ssd");
        assertEquals(0, pin.rc(), pin.err());
        fs.restart();
        // the dry run over every file: the planner must see kept.dat by its path (persisted hint), so its pin rule
        CliTest.Outcome ex = CliTest.run("policy", "explain", "--state", fs.stateDir().toString(), "--json");
        assertEquals(0, ex.rc(), ex.err());
        JsonNode kept = null;
        for (JsonNode f : JSON.readTree(ex.out()).path("files")) {
            if (f.path("path").asText().equals("/kept.dat")) {
                kept = f;
            }
        }
        assertTrue(kept != null, "kept.dat planned by its path after the restart: " + ex.out());
        assertTrue(kept.path("matchedRules").toString().contains("pin:/kept.dat"), kept.toString());
        assertEquals(0, CliTest.run("unpin", fs.root().resolve("kept.dat").toString()).rc());
    }

    @Test
    void openApiListsEveryEndpoint() throws Exception {
        Reply r = call("GET", "/api/v1/openapi.json", null);
        assertEquals(200, r.status());
        for (String p : List.of("/policy", "/policy:validate", "/policy/history", "/tiers", "/files/{path}",
                "/files/{path}:pin", "/files/{path}:unpin", "/prestage", "/prestage/{id}", "/migrations")) {
            assertTrue(r.body().path("paths").has(p), p);
        }
    }

    @Test
    void policyChangesTakeEffectLiveHotFilesGoUpColdOnesDownPinsHoldAndPrestagesFinish() throws Exception {
        String state = fs.stateDir().toString();
        // a hot file and a pinned file, both pushed down to hdd
        byte[] hot = write("hot.dat", 2);
        write("pinned.dat", 1);
        write("job-a.dat", 2);
        write("job-b.dat", 1);
        fs.forceMigration();
        fs.forceMigration();
        assertEquals(Set.of("hdd"), tiersOf("hot.dat"));
        CliTest.Outcome pin = CliTest.run("pin", fs.root().resolve("pinned.dat").toString(), "hdd");
        assertEquals(0, pin.rc(), pin.err());

        // live change: promotion to dram for files with heat >= 2; no restart
        long v = version();
        Path p = Files.writeString(fs.stateDir().resolveSibling("promote.json"), doc(v, ", \"promotionHeat\": 2",
                call("GET", "/api/v1/policy", null).body().path("rules").get(0).toString()));
        CliTest.Outcome set = CliTest.run("policy", "set", p.toString(), "--state", state);
        assertEquals(0, set.rc(), set.err());
        assertEquals(v + 1, version());
        for (int i = 0; i < 4; i++) {
            assertEquals(hot.length, Files.readAllBytes(fs.root().resolve("hot.dat")).length);
            Files.readAllBytes(fs.root().resolve("pinned.dat"));
        }
        Await.until(Duration.ofSeconds(30), "hot.dat promoted to dram", () -> tiersOf("hot.dat").equals(Set.of("dram")));
        assertTrue(java.util.Arrays.equals(hot, Files.readAllBytes(fs.root().resolve("hot.dat"))));
        JsonNode details = call("GET", "/api/v1/files/pinned.dat", null).body();
        assertEquals("hdd", details.path("pinnedTo").asText(), details.toString());
        assertTrue(details.path("heat").asDouble() >= 2, details.toString());
        assertEquals(Set.of("hdd"), tiersOf("pinned.dat"), "a pinned file never moves, however hot");
        CliTest.Outcome moves = CliTest.run("migrations", "--state", state, "--json");
        assertTrue(moves.out().contains("PROMOTION") && moves.out().contains("DONE"), moves.out());

        // cold data over the DRAM high watermark (80% of 16 MiB) goes down to 50%
        write("cold.dat", 12);
        Await.until(Duration.ofSeconds(30), "dram back under its high watermark", () -> {
            JsonNode dram = call("GET", "/api/v1/tiers", null).body().get(0);
            return dram.path("usedBytes").asLong() <= 0.8 * dram.path("capacityBytes").asLong();
        });
        assertEquals(Set.of("hdd"), tiersOf("pinned.dat"));

        // pre-stage through the CLI: waits with a progress bar, ends DONE before its deadline
        long t0 = System.currentTimeMillis();
        CliTest.Outcome ps = CliTest.run("prestage", fs.root().resolve("job-*.dat").toString(), "--tier", "ssd",
                "--deadline", "2m", "--json");
        assertEquals(0, ps.rc(), ps.out() + ps.err());
        JsonNode st = JSON.readTree(ps.out());
        assertEquals("DONE", st.path("state").asText(), st.toString());
        assertEquals(2, st.path("filesMatched").asInt());
        assertTrue(System.currentTimeMillis() < t0 + 120_000);
        assertTrue(Set.of("ssd", "dram").containsAll(tiersOf("job-a.dat")), tiersOf("job-a.dat").toString());
        assertEquals(200, call("GET", "/api/v1/prestage/" + st.path("id").asText(), null).status());

        // unpin, history, persistence
        assertEquals(0, CliTest.run("unpin", fs.root().resolve("pinned.dat").toString()).rc());
        assertEquals(404, call("POST", "/api/v1/files/pinned.dat:unpin", null).status());
        JsonNode hist = call("GET", "/api/v1/policy/history", null).body();
        assertTrue(hist.size() >= 3, hist.toString());
        // the policy is the cluster's (metadata journal): a restart of the node finds the same version and history
        long before = version();
        fs.restart();
        assertEquals(before, version(), "policy version after a restart");
        assertEquals(hist.size(), call("GET", "/api/v1/policy/history", null).body().size());
        CliTest.Outcome explain = CliTest.run("policy", "explain", fs.root().resolve("hot.dat").toString());
        assertEquals(0, explain.rc(), explain.err());
        assertTrue(explain.out().contains("/hot.dat"), explain.out());
    }
}
