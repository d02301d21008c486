package io.tierfs.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * `tierfs prestage PATHS... --tier T --deadline D`: asks the node to bring files up before a job starts, then
 * shows a progress bar on stderr until the request is finished (`--no-wait` returns at once with its id);
 * `tierfs prestage --status ID` and `--cancel ID` look at or cancel a request.
 */
public final class PrestageCommand implements Command {
    private static final Duration POLL = Duration.ofMillis(250);

    @Override
    public String name() {
        return "prestage";
    }

    @Override
    public String summary() {
        return "bring files up to a tier before a deadline (with progress)";
    }

    @Override
    public String usage() {
        return "tierfs prestage PATH|GLOB... --tier TIER [--deadline 10m] [--no-wait] [--json] [--state DIR]\n"
                + "       tierfs prestage --status ID | --cancel ID [--json] [--state DIR]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args = Args.parse(argv, Set.of(StateOption.KEY, "--tier", "--deadline", "--status", "--cancel"),
                Set.of("--json", "--no-wait"));
        boolean json = args.flag("--json");
        if (args.option("--status", null) != null || args.option("--cancel", null) != null) {
            args.expectPositionals(0);
            GatewayClient c = GatewayClient.forStateDir(StateOption.resolve(args));
            String id = args.option("--status", args.option("--cancel", null));
            JsonNode s = args.option("--cancel", null) != null
                    ? c.send("DELETE", "/api/v1/prestage/" + id, null) : c.get("/api/v1/prestage/" + id);
            print(s, json, out);
            return 0;
        }
        if (args.positionals().isEmpty()) {
            throw new Args.UsageException("missing PATH");
        }
        String tier = args.option("--tier", null);
        if (tier == null) {
            throw new Args.UsageException("--tier is required");
        }
        Path state = null;
        ObjectNode body = new ObjectMapper().createObjectNode();
        ArrayNode paths = body.putArray("paths");
        for (String a : args.positionals()) {
            NsPath p = NsPath.of(a, args);
            if (state != null && !state.equals(p.state())) {
                throw new CliException("the paths belong to different TierFS nodes (" + state + ", " + p.state() + ")");
            }
            state = p.state();
            paths.add(p.path());
        }
        body.put("tier", tier);
        body.put("deadline", args.option("--deadline", "1h"));
        GatewayClient c = GatewayClient.forStateDir(state);
        JsonNode s = c.send("POST", "/api/v1/prestage", body.toString());
        String id = s.path("id").asText();
        if (!args.flag("--no-wait")) {
            // on a terminal only: pipes, scripts and logs get the final line below and nothing else
            ProgressBar bar = new ProgressBar("pre-stage " + id + " to " + tier, s.path("bytesMatched").asLong(),
                    err, System.console() != null);
            while (!finished(s)) {
                bar.update(s.path("bytesDone").asLong());
                LockSupport.parkNanos(POLL.toNanos()); // polling the node for progress, bounded by the deadline
                s = c.get("/api/v1/prestage/" + id);
            }
            bar.done(s.path("bytesDone").asLong());
        }
        print(s, json, out);
        String st = s.path("state").asText();
        return args.flag("--no-wait") || st.equals("DONE") || st.equals("NOTHING_MATCHED") ? 0 : 1;
    }

    static boolean finished(JsonNode s) {
        return switch (s.path("state").asText()) {
            case "DONE", "CANCELLED", "NOTHING_MATCHED", "LATE", "BLOCKED" -> true;
            default -> false;
        };
    }

    private static void print(JsonNode s, boolean json, PrintStream out) {
        if (json) {
            out.println(GatewayClient.pretty(s));
        } else {
            out.printf(Locale.ROOT, "pre-stage %s: %s, %d/%d files, %s of %s on %s%n", s.path("id").asText(),
                    s.path("state").asText(), s.path("filesDone").asInt(), s.path("filesMatched").asInt(),
                    Bytes.human(s.path("bytesDone").asLong()), Bytes.human(s.path("bytesMatched").asLong()),
                    s.path("targetTier").asText());
        }
    }
}
