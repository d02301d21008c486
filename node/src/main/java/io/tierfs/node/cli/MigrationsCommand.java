package io.tierfs.node.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** `tierfs migrations`: the mover's moves (running, queued in priority order, recently finished). */
public final class MigrationsCommand implements Command {
    @Override
    public String name() {
        return "migrations";
    }

    @Override
    public String summary() {
        return "list the mover's running, queued and recent moves with their state";
    }

    @Override
    public String usage() {
        return "tierfs migrations [--state DIR] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args = Args.parse(argv, Set.of(StateOption.KEY), Set.of("--json"));
        args.expectPositionals(0);
        JsonNode m = GatewayClient.forStateDir(StateOption.resolve(args)).get("/api/v1/migrations");
        if (args.flag("--json")) {
            out.println(GatewayClient.pretty(m));
            return 0;
        }
        Table t = new Table("ID", "KIND", "STATE", "PATH", "INO", "FROM", "TO", "BYTES", "MOVED", "ERROR");
        for (JsonNode r : m) {
            t.row(r.path("id").asLong(), r.path("kind").asText(), r.path("state").asText(),
                    r.path("path").asText().isEmpty() ? "?" : r.path("path").asText(), r.path("ino").asLong(),
                    r.path("fromTier").asText(), r.path("toTier").asText(), Bytes.human(r.path("bytes").asLong()),
                    Bytes.human(r.path("bytesMoved").asLong()), r.path("error").isNull() ? "" : r.path("error").asText());
        }
        t.print(out);
        return 0;
    }
}
