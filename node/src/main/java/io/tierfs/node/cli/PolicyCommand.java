package io.tierfs.node.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** `tierfs policy get|set FILE|validate FILE|explain [PATH]`: the running node's policy (docs/policy.md). */
public final class PolicyCommand implements Command {
    @Override
    public String name() {
        return "policy";
    }

    @Override
    public String summary() {
        return "show, replace, validate or explain the migration policy";
    }

    @Override
    public String usage() {
        return "tierfs policy get | set FILE | validate FILE | explain [PATH] | history  [--state DIR] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args = Args.parse(argv, Set.of(StateOption.KEY), Set.of("--json"));
        String sub = args.positional(0, "sub-command (get, set, validate, explain, history)");
        boolean json = args.flag("--json");
        switch (sub) {
            case "get" -> {
                args.expectPositionals(1);
                out.println(GatewayClient.pretty(client(args).get("/api/v1/policy")));
            }
            case "history" -> {
                args.expectPositionals(1);
                JsonNode h = client(args).get("/api/v1/policy/history");
                if (json) {
                    out.println(GatewayClient.pretty(h));
                } else {
                    Table t = new Table("VERSION", "APPLIED", "RULES", "DESCRIPTION");
                    for (JsonNode e : h) {
                        t.row(e.path("version").asLong(), java.time.Instant.ofEpochMilli(e.path("appliedAtMillis").asLong()),
                                e.path("doc").path("rules").size(), e.path("doc").path("description").asText());
                    }
                    t.print(out);
                }
            }
            case "set" -> {
                args.expectPositionals(2);
                JsonNode p = client(args).send("PUT", "/api/v1/policy", read(args.positional(1, "FILE")));
                if (json) {
                    out.println(GatewayClient.pretty(p));
                } else {
                    out.println("policy version " + p.path("version").asLong() + " is running");
                }
            }
            case "validate" -> {
                args.expectPositionals(2);
                JsonNode v = client(args).send("POST", "/api/v1/policy:validate", read(args.positional(1, "FILE")));
                if (json) {
                    out.println(GatewayClient.pretty(v));
                } else {
                    out.println("valid; dry run on the node's files:");
                    printPlan(v.path("plan"), out);
                }
            }
            case "explain" -> {
                args.expectPositionals(2);
                String q = "";
                GatewayClient c;
                if (args.positionals().size() > 1) {
                    NsPath p = NsPath.of(args.positional(1, "PATH"), args);
                    c = GatewayClient.forStateDir(p.state());
                    q = "?path=" + java.net.URLEncoder.encode(p.path(), java.nio.charset.StandardCharsets.UTF_8);
                } else {
                    c = client(args);
                }
                JsonNode e = c.get("/api/v1/policy/explain" + q);
                if (json) {
                    out.println(GatewayClient.pretty(e));
                } else {
                    printPlan(e, out);
                }
            }
            default -> throw new Args.UsageException("unknown sub-command '" + sub + "'");
        }
        return 0;
    }

    private static GatewayClient client(Args args) {
        return GatewayClient.forStateDir(StateOption.resolve(args));
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
    }

    static void printPlan(JsonNode plan, PrintStream out) {
        Table tiers = new Table("TIER", "USED", "AFTER", "HIGH", "LOW", "ORDER", "STATE", "OUT", "IN");
        for (JsonNode t : plan.path("tiers")) {
            tiers.row(t.path("name").asText(), Bytes.human(t.path("usedBytes").asLong()),
                    Bytes.human(t.path("projectedBytes").asLong()), Bytes.human(t.path("highBytes").asLong()),
                    Bytes.human(t.path("lowBytes").asLong()), t.path("victimOrder").asText(), t.path("state").asText(),
                    t.path("movesOut").asInt(), t.path("movesIn").asInt());
        }
        tiers.print(out);
        Table files = new Table("PATH", "INO", "TIER", "BYTES", "ACTION", "TO", "RESIDENCY", "HEAT", "WHY");
        for (JsonNode f : plan.path("files")) {
            files.row(f.path("path").asText().isEmpty() ? "?" : f.path("path").asText(), f.path("ino").asLong(),
                    f.path("tier").asText(), Bytes.human(f.path("bytes").asLong()), f.path("action").asText(),
                    f.path("toTier").isNull() ? "-" : f.path("toTier").asText(), f.path("residency").asText(),
                    String.format(java.util.Locale.ROOT, "%.2f", f.path("heat").asDouble()), f.path("reason").asText());
        }
        files.print(out);
    }
}
