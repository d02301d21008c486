package io.tierfs.it.cluster;

import io.tierfs.meta.testing.TestFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Configs for a cluster of {@code tierfs node} processes on 127.0.0.1 sharing one PostgreSQL journal: ports picked
 * free, the first two members are the seeds, small tiers (DRAM in /dev/shm), a failure detector and split brain
 * resolver tuned so that a killed member is downed within ~10 s on a loaded 2-core machine.
 */
final class ClusterFixture {
    private final Path base;
    private final String journalUrl;
    private final int[] ports;

    ClusterFixture(Path base, String journalUrl, int members) throws IOException {
        this.base = base;
        this.journalUrl = journalUrl;
        this.ports = new int[members];
        for (int i = 0; i < members; i++) {
            ports[i] = freePort();
        }
    }

    Path mount(int i) throws IOException {
        return Files.createDirectories(base.resolve("mnt-" + i));
    }

    Path state(int i) {
        return base.resolve("state-" + i);
    }

    /**
     * Removes what the members left on disk: their DRAM tiers in /dev/shm and the base directory (states, mounts).
     * Call once every member stopped. A mount under the base that is still mounted keeps the base where it is
     * (deleting through a live mount would delete the file system's own files). Never throws: a cleanup that fails
     * must not hide the test's outcome, so it only says what it left.
     */
    void cleanUp() {
        for (int i = 0; i < ports.length; i++) {
            deleteQuietly(Path.of("/dev/shm", base.getFileName() + "-dram-" + i));
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && f[4].startsWith(base.toString())) {
                    System.err.println("cluster fixture: " + f[4] + " is still mounted; leaving " + base);
                    return;
                }
            }
        } catch (IOException e) {
            System.err.println("cluster fixture: cannot read the mount table (" + e + "); leaving " + base);
            return;
        }
        deleteQuietly(base);
    }

    private static void deleteQuietly(Path d) {
        try {
            TestFiles.deleteTree(d);
        } catch (IOException | RuntimeException e) {
            System.err.println("cluster fixture: could not remove " + d + ": " + e);
        }
    }

    /** Extra HOCON lines appended to every member's config (e.g. a long cache TTL). */
    private String extra = "";

    ClusterFixture withExtra(String hocon) {
        this.extra = hocon + "\n";
        return this;
    }

    /** Extra HOCON lines for member {@code i} only (e.g. its lender settings). */
    private final java.util.Map<Integer, String> memberExtra = new java.util.HashMap<>();

    ClusterFixture withMemberExtra(int i, String hocon) {
        memberExtra.put(i, hocon + "\n");
        return this;
    }

    /** Member {@code i}'s id in memory borrow ({@code host-port}). */
    String memberId(int i) {
        return "127.0.0.1-" + ports[i];
    }

    String config(int i, List<String> roles) throws IOException {
        boolean client = roles.contains("client");
        List<String> seeds = new ArrayList<>();
        for (int s = 0; s < Math.min(2, ports.length); s++) {
            seeds.add("\"pekko://tierfs@127.0.0.1:" + ports[s] + "\"");
        }
        String shm = "/dev/shm/" + base.getFileName() + "-dram-" + i;
        return "tierfs {\n"
                + "  node {\n"
                + "    roles = [" + String.join(", ", roles) + "]\n"
                + "    state = \"" + state(i) + "\"\n"
                + (client ? "    mount = \"" + mount(i) + "\"\n" : "")
                + "  }\n"
                + "  meta { journal-url = \"" + journalUrl + "\" }\n"
                + "  chunk-size = 1MiB\n"
                + "  tiers = [\n"
                + "    { name = dram, kind = dram, path = \"" + shm + "\", capacity = 64MiB }\n"
                + "    { name = ssd, kind = ssd, path = \"" + base.resolve("ssd-" + i) + "\", capacity = 256MiB }\n"
                + "    { name = hdd, kind = hdd, path = \"" + base.resolve("hdd-" + i) + "\", capacity = 1GiB }\n"
                + "  ]\n"
                + "}\n"
                + "pekko.remote.artery.canonical { hostname = \"127.0.0.1\", port = " + ports[i] + " }\n"
                + "pekko.cluster.seed-nodes = [" + String.join(", ", seeds) + "]\n"
                + "pekko.cluster.failure-detector.acceptable-heartbeat-pause = 4s\n"
                + "pekko.cluster.split-brain-resolver.stable-after = 4s\n"
                + extra + memberExtra.getOrDefault(i, "");
    }

    ClusterNodeProcess start(int i, List<String> roles) throws IOException {
        return ClusterNodeProcess.start("node-" + i, base, config(i, roles),
                roles.contains("client") ? Optional.of(mount(i)) : Optional.empty());
    }

    /**
     * Starts members {@code 0..into.length-1} together (a cluster start then costs about one member's) and puts each
     * into {@code into} as it comes up, so that the caller's clean-up stops every member that did even when another
     * failed; rethrows the first failure.
     */
    void startAll(ClusterNodeProcess[] into, List<String> roles) throws Exception {
        java.util.concurrent.ExecutorService starter = java.util.concurrent.Executors.newFixedThreadPool(into.length);
        try {
            List<java.util.concurrent.Future<ClusterNodeProcess>> started = new ArrayList<>();
            for (int i = 0; i < into.length; i++) {
                int member = i;
                started.add(starter.submit(() -> start(member, roles)));
            }
            Exception failed = null;
            for (int i = 0; i < into.length; i++) {
                try {
                    into[i] = started.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failed = failed == null ? e : failed;
                }
            }
            if (failed != null) {
                throw failed;
            }
        } finally {
            starter.shutdown();
        }
    }

    /** Waits (up to 60 s) until member 0's gateway lists {@code members} members with status up. */
    void awaitUp(int members) throws Exception {
        io.tierfs.node.cli.GatewayClient gw = io.tierfs.node.cli.GatewayClient.forStateDir(state(0));
        io.tierfs.it.Await.until(java.time.Duration.ofSeconds(60), members + " members up", () -> {
            int up = 0;
            for (com.fasterxml.jackson.databind.JsonNode n : gw.get("/api/v1/nodes")) {
                up += n.path("status").asText().equals("up") ? 1 : 0;
            }
            return up == members;
        });
    }

    String address(int i) {
        return "pekko://tierfs@127.0.0.1:" + ports[i];
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
