package io.tierfs.simulator.cli;

import io.tierfs.simulator.engine.SimRunner;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on stderr, redrawn at most ten times a second; ended with a newline by {@link #done}. */
final class ProgressBar implements SimRunner.Progress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintStream err) {
        this.err = err;
    }

    @Override
    public void update(String label, int step, int steps, double fraction) {
        long now = System.nanoTime();
        if (drawn && now - lastDraw < 100_000_000L && fraction < 1.0) {
            return;
        }
        lastDraw = now;
        drawn = true;
        int full = (int) Math.round(Math.max(0, Math.min(1, fraction)) * WIDTH);
        err.print(String.format(Locale.ROOT, "\r[%s%s] %3.0f%%  %s (%d/%d)   ", "#".repeat(full), ".".repeat(WIDTH - full),
                100 * fraction, label, step, steps));
        err.flush();
    }

    void done() {
        if (drawn) {
            err.println();
        }
    }
}
