package io.tierfs.node.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar for long operations, redrawn in place with a carriage return on stderr and only when
 * stderr is a terminal (pipes and logs get nothing). Redraws at most every 100 ms; {@link #done()} ends the line.
 * Not thread-safe: one operation updates it.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean enabled;
    private long lastDraw = Long.MIN_VALUE;
    private boolean drawn;

    /** A bar that draws on {@code out} if {@code enabled}; {@code total} 0 or less shows a count without percent. */
    public ProgressBar(String label, long total, PrintStream out, boolean enabled) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.enabled = enabled;
    }

    /** A bar on stderr when the process runs on a terminal, else a silent one. */
    public static ProgressBar onTerminal(String label, long total) {
        return new ProgressBar(label, total, System.err, System.console() != null);
    }

    /** Shows {@code done} units of {@code total} (bytes), redrawing if the last redraw is old enough. */
    public void update(long done) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (drawn && now - lastDraw < REDRAW_NANOS && done < total) {
            return;
        }
        lastDraw = now;
        drawn = true;
        out.print("\r" + render(label, done, total) + "\u001b[K");
        out.flush();
    }

    /** Draws the final state and ends the line. */
    public void done(long done) {
        if (!enabled) {
            return;
        }
        lastDraw = Long.MIN_VALUE;
        drawn = false;
        out.print("\r" + render(label, done, total) + "\u001b[K\n");
        out.flush();
    }

    /** The bar's text: {@code label [#####.....]  42%  1.2 GiB / 3.0 GiB}. Pure, for tests. */
    public static String render(String label, long done, long total) {
        if (total <= 0) {
            return label + " " + Bytes.human(Math.max(0, done));
        }
        double f = Math.max(0, Math.min(1, (double) done / total));
        int filled = (int) Math.round(f * WIDTH);
        return String.format(Locale.ROOT, "%s [%s%s] %3.0f%%  %s / %s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), 100 * f, Bytes.human(done), Bytes.human(total));
    }

    /** A bar of {@code width} cells for a fraction, as `top` draws tier usage. */
    public static String bar(double fraction, int width) {
        double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.round(f * width);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }
}
