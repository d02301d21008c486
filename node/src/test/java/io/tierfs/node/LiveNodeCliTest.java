package io.tierfs.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierfs.it.FsSpec;
import io.tierfs.it.MountedTierFs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI against a live node (a real `tierfs mount` child process): status, where, refusing a mounted mount point. */
class LiveNodeCliTest {
    private static MountedTierFs fs;

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

    private static CliTest.Outcome run(String... argv) {
        return CliTest.run(argv);
    }

    @Test
    void statusShowsEveryTierAndCountsWhatWasWritten() throws Exception {
        byte[] data = new byte[3 << 20];
        new Random(7).nextBytes(data);
        Files.write(fs.root().resolve("three-mib"), data);
        JsonNode st = new ObjectMapper().readTree(run("status", "--state", fs.stateDir().toString(), "--json").out());
        assertEquals(List.of("dram", "ssd", "hdd"), st.path("tiers").findValuesAsText("name"));
        long used = 0;
        for (JsonNode t : st.path("tiers")) {
            assertTrue(t.path("capacityBytes").asLong() > 0);
            used += t.path("usedBytes").asLong();
        }
        assertTrue(used >= data.length, "the 3 MiB written are accounted on some tier: " + st);
        assertEquals(fs.root().toString(), st.path("mountPoint").asText());
        CliTest.Outcome table = run("status", "--state", fs.stateDir().toString());
        assertEquals(0, table.rc(), table.err());
        assertTrue(table.out().contains("TIER") && table.out().contains("dram") && table.out().contains("mover:"), table.out());
    }

    @Test
    void whereListsEveryChunkOfAFileWithItsTier() throws Exception {
        Path f = fs.root().resolve("where-me");
        Files.write(f, new byte[(2 << 20) + 5]); // 1 MiB chunks in the test config: 3 chunks
        JsonNode w = new ObjectMapper().readTree(run("where", f.toString(), "--json").out());
        assertEquals((2 << 20) + 5, w.path("size").asLong());
        assertEquals(3, w.path("chunks").size(), w.toString());
        for (JsonNode c : w.path("chunks")) {
            assertTrue(List.of("dram", "ssd", "hdd").contains(c.path("tier").asText()), c.toString());
        }
        CliTest.Outcome table = run("where", f.toString());
        assertEquals(0, table.rc(), table.err());
        assertTrue(table.out().contains("CHUNK"), table.out());
        CliTest.Outcome missing = run("where", fs.root().resolve("nope").toString());
        assertNotEquals(0, missing.rc());
        assertTrue(missing.err().contains("ENOENT"), missing.err());
    }

    @Test
    void aMountPointThatIsAlreadyMountedIsRefusedAndTheMountKeepsWorking() throws Exception {
        Files.writeString(fs.root().resolve("still-here"), "yes");
        CliTest.Outcome o = run("mount", fs.root().toString(), "--state", fs.stateDir().resolveSibling("other-state").toString());
        assertEquals(1, o.rc());
        assertTrue(o.err().contains("already"), o.err());
        assertEquals("yes", Files.readString(fs.root().resolve("still-here")));
    }

    @Test
    void umountStopsTheNodeCleanlyAndKeepsTheData() throws Exception {
        MountedTierFs other = (MountedTierFs) MountedTierFs.start(FsSpec.standard());
        try {
            io.tierfs.it.Await.until(java.time.Duration.ofSeconds(30), "mount prints the tiers",
                    () -> other.output().contains("dram") && other.output().contains("hdd"));
            Files.writeString(other.root().resolve("kept"), "across umount");
            CliTest.Outcome o = run("umount", other.root().toString());
            assertEquals(0, o.rc(), o.err());
            assertEquals(0, other.awaitExit(java.time.Duration.ofSeconds(60)), "the node exits 0 after umount");
            assertTrue(other.output().contains("TierFS unmounted"), other.output());
            other.restart();
            assertEquals("across umount", Files.readString(other.root().resolve("kept")));
        } finally {
            other.close();
        }
    }

    @Test
    void theGatewayRefusesCallsWithoutTheRightTokenWithAProblemDocument() throws Exception {
        String addr = Files.readString(fs.stateDir().resolve("gateway.port")).trim();
        assertTrue(addr.startsWith("127.0.0.1:"), "the gateway binds loopback only: " + addr);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String auth : new String[]{null, "Bearer wrong", "Basic abc"}) {
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + addr + "/api/v1/status"));
            if (auth != null) {
                req.header("Authorization", auth);
            }
            var resp = http.send(req.GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(401, resp.statusCode(), "auth " + auth);
            assertTrue(resp.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            assertEquals(401, new ObjectMapper().readTree(resp.body()).path("status").asInt(), resp.body());
        }
        var perms = Files.getPosixFilePermissions(fs.stateDir().resolve("gateway.token"));
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"), perms);
    }
}
