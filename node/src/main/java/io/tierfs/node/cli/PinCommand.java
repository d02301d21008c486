package io.tierfs.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** `tierfs pin PATH TIER` and `tierfs unpin PATH`: a pin is a `pin:PATH` rule at the front of the policy. */
public final class PinCommand implements Command {
    private final boolean pin;

    private PinCommand(boolean pin) {
        this.pin = pin;
    }

    public static PinCommand pin() {
        return new PinCommand(true);
    }

    public static PinCommand unpin() {
        return new PinCommand(false);
    }

    @Override
    public String name() {
        return pin ? "pin" : "unpin";
    }

    @Override
    public String summary() {
        return pin ? "keep a file on a tier (the mover never moves it elsewhere)" : "remove a file's pin";
    }

    @Override
    public String usage() {
        return pin ? "tierfs pin PATH TIER [--state DIR] [--json]" : "tierfs unpin PATH [--state DIR] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, Set.of(StateOption.KEY), Set.of("--json"));
        args.expectPositionals(pin ? 2 : 1);
        NsPath p = NsPath.of(args.positional(0, "PATH"), args);
        GatewayClient c = GatewayClient.forStateDir(p.state());
        String url = "/api/v1/files" + GatewayClient.encodePath(p.path()) + (pin ? ":pin" : ":unpin");
        String body = pin ? new ObjectMapper().createObjectNode().put("tier", args.positional(1, "TIER")).toString()
                : null;
        JsonNode r = c.send("POST", url, body);
        if (args.flag("--json")) {
            out.println(GatewayClient.pretty(r));
        } else if (pin) {
            out.println(p.path() + " pinned to " + r.path("pinnedTo").asText() + " (policy version "
                    + r.path("policyVersion").asLong() + ")");
        } else {
            out.println(p.path() + " unpinned (policy version " + r.path("policyVersion").asLong() + ")");
        }
        return 0;
    }
}
