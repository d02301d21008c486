package io.tierfs.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code tierfs node reclaim NODE --deadline 30s}: an operator (or a Slurm prolog) takes the memory NODE lends back
 * before a job starts there. Borrowers drop clean chunks, flush dirty ones down and give their leases back; the
 * command prints how long it took, and exits non-zero (saying why, nothing lost) if it did not finish in time.
 * {@code tierfs node reopen NODE} lets NODE lend again (a Slurm epilog). Both go through the local node's gateway.
 */
final class ReclaimCommand {
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

    static boolean handles(String sub) {
        return sub.equals("reclaim") || sub.equals("reopen");
    }

    int run(List<String> argv, PrintStream out, PrintStream err) {
        String sub = argv.get(0);
        Args args = Args.parse(argv.subList(1, argv.size()), Set.of(StateOption.KEY, "--deadline"), Set.of("--json"));
        args.expectPositionals(1);
        String node = args.positional(0, "NODE");
        GatewayClient gw = GatewayClient.forStateDir(StateOption.resolve(args));
        String path = "/api/v1/nodes/" + URLEncoder.encode(node, StandardCharsets.UTF_8);
        if (sub.equals("reopen")) {
            JsonNode view = gw.send("POST", path + "/reopen", null);
            out.println(args.flag("--json") ? GatewayClient.pretty(view) : view.path("node").asText() + " lends again: "
                    + Bytes.human(view.path("offeredBytes").asLong()) + " offered");
            return 0;
        }
        Duration deadline = parseDeadline(args.option("--deadline", null));
        JsonNode r = gw.send("POST", path + "/reclaim?deadline=" + deadline.toMillis() + "ms", null,
                deadline.plusSeconds(30));
        if (args.flag("--json")) {
            out.println(GatewayClient.pretty(r));
        } else {
            boolean complete = r.path("complete").asBoolean();
            out.printf("%s %s: %s released in %.1f s (deadline %.0f s)%n", complete ? "reclaimed" : "reclaim of",
                    r.path("node").asText(), Bytes.human(r.path("bytesReleased").asLong()),
                    r.path("tookMillis").asLong() / 1000.0, r.path("deadlineMillis").asLong() / 1000.0);
            r.path("details").forEach(d -> out.println("  " + d.asText()));
            if (!complete) {
                err.println("tierfs: the reclaim did not finish within the deadline; nothing was lost, the rest stays "
                        + "lent until the borrowers can place it (see above)");
            }
        }
        return r.path("complete").asBoolean() ? 0 : 1;
    }

    static Duration parseDeadline(String text) {
        if (text == null) {
            return DEFAULT_DEADLINE;
        }
        try {
            Duration d = ConfigFactory.parseString("d = \"" + text + "\"").getDuration("d");
            if (d.isNegative() || d.isZero()) {
                throw new Args.UsageException("--deadline must be positive, got '" + text + "'");
            }
            return d;
        } catch (ConfigException e) {
            throw new Args.UsageException("--deadline takes a duration like 30s or 2m, got '" + text + "'");
        }
    }
}
