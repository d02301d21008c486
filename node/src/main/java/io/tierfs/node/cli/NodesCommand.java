package io.tierfs.node.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** `tierfs nodes`: the cluster's members, their roles and status, and the directory shards each hosts. */
public final class NodesCommand implements Command {
    @Override
    public String name() {
        return "nodes";
    }

    @Override
    public String summary() {
        return "list the cluster's members: roles, status, shards hosted, memory lent";
    }

    @Override
    public String usage() {
        return "tierfs nodes [--state DIR] [--json] [--wait N]";
    }

    private static final java.time.Duration WAIT_LIMIT = java.time.Duration.ofSeconds(180);

    private static int parseCount(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Args.UsageException("--wait takes a member count, got '" + s + "'");
    }

    /**
     * Waits (up to 3 minutes) until the node at {@code state} runs, has mounted (if it mounts) and sees {@code n}
     * members up and reachable: the scripted start of a cluster ("start every member, then wait for all of them").
     */
    private static JsonNode awaitMembers(java.nio.file.Path state, int n, PrintStream err) {
        long deadline = System.nanoTime() + WAIT_LIMIT.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            try {
                JsonNode nodes = GatewayClient.forStateDir(state).get("/api/v1/nodes");
                int up = 0;
                for (JsonNode m : nodes) {
                    up += m.path("status").asText().equals("up") && m.path("reachable").asBoolean() ? 1 : 0;
                }
                String mp = GatewayClient.forStateDir(state).get("/api/v1/status").path("mountPoint").asText("");
                boolean mounted = mp.isEmpty() || io.tierfs.fuse.MountTable.isMountPoint(java.nio.file.Path.of(mp));
                if (up >= n && mounted) {
                    return nodes;
                }
                last = up + " of " + n + " members up";
            } catch (CliException e) {
                last = e.getMessage(); // the node is still starting
            }
            java.util.concurrent.locks.LockSupport.parkNanos(500_000_000L); // poll; bounded by the deadline
        }
        throw new CliException("the cluster did not reach " + n + " members up within " + WAIT_LIMIT.toSeconds()
                + " s (" + last + ")");
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args = Args.parse(argv, Set.of(StateOption.KEY, "--wait"), Set.of("--json"));
        args.expectPositionals(0);
        java.nio.file.Path state = StateOption.resolve(args);
        String wait = args.option("--wait", null);
        JsonNode nodes = wait == null ? GatewayClient.forStateDir(state).get("/api/v1/nodes")
                : awaitMembers(state, parseCount(wait), err);
        if (args.flag("--json")) {
            out.println(GatewayClient.pretty(nodes));
            return 0;
        }
        Table t = new Table("MEMBER", "ROLES", "STATUS", "SHARDS", "DIRS", "OFFERED", "LENT", "USED", "DIRTY", "");
        for (JsonNode n : nodes) {
            List<String> roles = new ArrayList<>();
            n.path("roles").forEach(r -> roles.add(r.asText()));
            int shards = n.path("shards").asInt();
            List<String> notes = new ArrayList<>();
            if (n.path("self").asBoolean()) {
                notes.add("this node");
            }
            if (n.path("leader").asBoolean()) {
                notes.add("leader");
            }
            JsonNode mem = n.path("memory");
            boolean lends = mem.isObject();
            if (lends && !mem.path("lending").asBoolean(true)) {
                notes.add("not lending");
            }
            List<String> recalls = new ArrayList<>();
            mem.path("recalls").forEach(r -> recalls.add(r.asText()));
            t.row(n.path("address").asText(), String.join(",", roles),
                    n.path("status").asText() + (n.path("reachable").asBoolean() ? "" : " (unreachable)"),
                    shards < 0 ? "?" : Integer.toString(shards), shards < 0 ? "?" : Long.toString(n.path("entities").asLong()),
                    lends ? Bytes.human(mem.path("offeredBytes").asLong()) : "-",
                    lends ? Bytes.human(mem.path("lentBytes").asLong()) : "-",
                    lends ? Bytes.human(mem.path("usedBytes").asLong()) : "-",
                    lends ? Bytes.human(mem.path("dirtyBytes").asLong()) : "-",
                    String.join(", ", notes) + (recalls.isEmpty() ? "" : (notes.isEmpty() ? "" : ", ") + recalls.size()
                            + " recall(s) in progress"));
        }
        t.print(out);
        for (JsonNode n : nodes) {
            n.path("memory").path("recalls").forEach(r -> out.println("  recall: " + r.asText()));
        }
        return 0;
    }
}
