package io.tierfs.node.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * `tierfs top`: tiers, mover and recent migrations of the running node, redrawn in place every second (ANSI;
 * q or Ctrl-C quits). {@code --once} (and any output that is not a terminal) prints one frame and exits.
 */
public final class TopCommand implements Command {
    private static final String CLEAR = "\u001b[H\u001b[2J";
    private static final String ALT_SCREEN_ON = "\u001b[?1049h\u001b[?25l";
    private static final String ALT_SCREEN_OFF = "\u001b[?25h\u001b[?1049l";

    @Override
    public String name() {
        return "top";
    }

    @Override
    public String summary() {
        return "live view of tiers, mover and migrations, refreshed every second (q quits)";
    }

    @Override
    public String usage() {
        return "tierfs top [--state DIR] [--interval MILLIS] [--once]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        Args args = Args.parse(argv, Set.of(StateOption.KEY, "--interval"), Set.of("--once"));
        args.expectPositionals(0);
        long interval = parseInterval(args.option("--interval", "1000"));
        GatewayClient client = GatewayClient.forStateDir(StateOption.resolve(args));
        boolean live = !args.flag("--once") && System.console() != null && out == System.out;
        if (!live) {
            out.print(frame(client));
            return 0;
        }
        try (RawTerminal tty = RawTerminal.enter()) {
            out.print(ALT_SCREEN_ON);
            try {
                loop(client, out, System.in, interval);
            } finally {
                out.print(ALT_SCREEN_OFF);
                out.flush();
            }
        }
        return 0;
    }

    private static long parseInterval(String text) {
        try {
            long ms = Long.parseLong(text);
            if (ms < 100) {
                throw new Args.UsageException("--interval must be at least 100 (milliseconds): " + text);
            }
            return ms;
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--interval takes milliseconds: " + text);
        }
    }

    private static void loop(GatewayClient client, PrintStream out, InputStream keys, long intervalMillis)
            throws IOException {
        while (true) {
            String text;
            try {
                text = frame(client);
            } catch (CliException e) {
                text = "tierfs top: " + e.getMessage() + "\n(retrying; q quits)\n";
            }
            out.print(CLEAR + text.replace("\n", "\u001b[K\n") + "\nq: quit");
            out.flush();
            long until = System.nanoTime() + intervalMillis * 1_000_000L;
            while (System.nanoTime() < until) {
                while (keys.available() > 0) {
                    int c = keys.read();
                    if (c == 'q' || c == 'Q' || c == 3 || c == -1) {
                        return;
                    }
                }
                try {
                    Thread.sleep(50); // key polling between frames of a live display
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    static String frame(GatewayClient client) {
        JsonNode st = client.get("/api/v1/status");
        JsonNode db = client.get("/api/v1/dashboard");
        return TopFrame.render(st, db, ZoneId.systemDefault());
    }
}
