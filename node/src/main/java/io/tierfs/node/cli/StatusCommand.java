package io.tierfs.node.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** `tierfs status`: each tier's capacity, usage and file count, and the mover's queue, from the running node. */
public final class StatusCommand implements Command {
    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "show each tier's capacity, used bytes, files, and the mover's queue";
    }

    @Override
    public String usage() {
        return "tierfs status [--state DIR] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args = Args.parse(argv, Set.of(StateOption.KEY), Set.of("--json"));
        args.expectPositionals(0);
        JsonNode st = GatewayClient.forStateDir(StateOption.resolve(args)).get("/api/v1/status");
        if (args.flag("--json")) {
            out.println(GatewayClient.pretty(st));
            return 0;
        }
        print(st, out);
        return 0;
    }

    static void print(JsonNode st, PrintStream out) {
        out.printf("TierFS %s  node %s  mount %s  state %s  inodes %d%n", st.path("version").asText(),
                st.path("node").asText(), st.path("mountPoint").asText("-"), st.path("stateDir").asText(),
                st.path("inodes").asLong());
        Table t = new Table("TIER", "KIND", "CAPACITY", "USED", "USE%", "HIGH/LOW", "FILES", "CHUNKS", "PATH");
        for (JsonNode tier : st.path("tiers")) {
            long cap = tier.path("capacityBytes").asLong();
            long used = tier.path("usedBytes").asLong();
            t.row(tier.path("name").asText(), tier.path("kind").asText(), Bytes.human(cap), Bytes.human(used),
                    String.format(Locale.ROOT, "%.1f%%", cap == 0 ? 0.0 : 100.0 * used / cap),
                    String.format(Locale.ROOT, "%.0f%%/%.0f%%", 100 * tier.path("highWatermark").asDouble(),
                            100 * tier.path("lowWatermark").asDouble()),
                    tier.path("files").asLong(), tier.path("chunks").asLong(), tier.path("path").asText());
        }
        t.print(out);
        JsonNode m = st.path("mover");
        out.printf("mover: %d queued, %d running, %d done, %d failed; moved %s down, %s up%n",
                m.path("queued").asLong(), m.path("running").asLong(), m.path("done").asLong(), m.path("failed").asLong(),
                Bytes.human(m.path("bytesDown").asLong()), Bytes.human(m.path("bytesUp").asLong()));
    }
}
