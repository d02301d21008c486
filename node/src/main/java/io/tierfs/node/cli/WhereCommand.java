package io.tierfs.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tierfs.fuse.MountTable;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** `tierfs where PATH`: on which tier (and node) each chunk of a file lies. */
public final class WhereCommand implements Command {
    @Override
    public String name() {
        return "where";
    }

    @Override
    public String summary() {
        return "show on which tier and node each chunk of a file lies";
    }

    @Override
    public String usage() {
        return "tierfs where PATH [--state DIR] [--json]   (PATH inside a TierFS mount)";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args = Args.parse(argv, Set.of(StateOption.KEY), Set.of("--json"));
        args.expectPositionals(1);
        Path path = Path.of(args.positional(0, "PATH")).toAbsolutePath().normalize();
        MountTable.Entry mount = MountTable.containing(path);
        if (mount == null || !mount.isTierFs()) {
            throw new CliException(path + " is not inside a TierFS mount");
        }
        Path state = args.option(StateOption.KEY, null) != null ? StateOption.resolve(args)
                : mount.stateDir().orElseGet(() -> StateOption.resolve(args));
        String rel = "/" + Path.of(mount.mountPoint()).relativize(path);
        StringBuilder enc = new StringBuilder();
        for (String part : rel.split("/")) {
            if (!part.isEmpty()) {
                enc.append('/').append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        JsonNode w = GatewayClient.forStateDir(state).get("/api/v1/where" + (enc.length() == 0 ? "/" : enc));
        if (args.flag("--json")) {
            out.println(GatewayClient.pretty(w));
            return 0;
        }
        out.printf("%s  inode %d  size %s  %d chunk(s)%n", path, w.path("ino").asLong(),
                Bytes.human(w.path("size").asLong()), w.path("chunks").size());
        Table t = new Table("CHUNK", "TIER", "NODE", "GEN", "LENGTH", "STATE", "DURABLE COPY");
        for (JsonNode c : w.path("chunks")) {
            t.row(c.path("index").asInt(), c.path("tier").asText(), c.path("node").asText(), c.path("generation").asLong(),
                    Bytes.human(c.path("length").asLong()), c.path("dirty").asBoolean() ? "dirty" : "clean",
                    c.path("durableTier").isNull() || c.path("durableTier").asText().isEmpty() ? "-" : c.path("durableTier").asText());
        }
        t.print(out);
        return 0;
    }
}
