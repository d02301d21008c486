package io.tierfs.node.cli;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Puts the controlling terminal in non-canonical, no-echo mode (so that `top` sees a single q without Enter) and
 * restores the previous settings on close, also when the JVM is stopped by Ctrl-C.
 */
final class RawTerminal implements AutoCloseable {
    private final String saved;
    private final Thread restoreHook;

    private RawTerminal(String saved) {
        this.saved = saved;
        this.restoreHook = new Thread(this::restore, "tierfs-top-restore-tty");
        Runtime.getRuntime().addShutdownHook(restoreHook);
    }

    /** Enters raw mode; fails with a CliException when there is no terminal or stty is missing. */
    static RawTerminal enter() {
        String saved = stty("-g").trim();
        stty("-icanon", "-echo", "min", "0", "time", "0");
        return new RawTerminal(saved);
    }

    private void restore() {
        stty(saved);
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook restores the terminal
        }
    }

    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new CliException("stty " + String.join(" ", args) + " failed: " + out.trim());
            }
            return out;
        } catch (IOException e) {
            throw new CliException("cannot set up the terminal: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
