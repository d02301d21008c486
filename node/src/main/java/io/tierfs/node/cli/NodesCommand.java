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
        return "list the cluster's members: roles, status, shards hosted";
    }

    @Override
    public String usage() {
        return "tierfs nodes [--state DIR] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args = Args.parse(argv, Set.of(StateOption.KEY), Set.of("--json"));
        args.expectPositionals(0);
        JsonNode nodes = GatewayClient.forStateDir(StateOption.resolve(args)).get("/api/v1/nodes");
        if (args.flag("--json")) {
            out.println(GatewayClient.pretty(nodes));
            return 0;
        }
        Table t = new Table("MEMBER", "ROLES", "STATUS", "SHARDS", "DIRS", "");
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
            t.row(n.path("address").asText(), String.join(",", roles),
                    n.path("status").asText() + (n.path("reachable").asBoolean() ? "" : " (unreachable)"),
                    shards < 0 ? "?" : Integer.toString(shards), shards < 0 ? "?" : Long.toString(n.path("entities").asLong()),
                    String.join(", ", notes));
        }
        t.print(out);
        return 0;
    }
}
