package io.tierfs.node.fsck;

import io.tierfs.node.cli.ProgressBar;

import java.io.PrintStream;
import java.util.Locale;

/**
 * {@link FsckProgress} as one line redrawn in place on a terminal ({@code fsck: walk [####....]  42%  1,204/2,861}),
 * at most every 100 ms, like {@link ProgressBar} but counting directories instead of bytes.
 */
public final class TerminalProgress implements FsckProgress {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private String phase = "";
    private long total;
    private long lastDraw;
    private boolean drawn;

    public TerminalProgress(PrintStream out) {
        this.out = out;
    }

    /** On stderr when the process runs on a terminal, else {@link FsckProgress#NONE}. */
    public static FsckProgress onTerminal() {
        return System.console() != null ? new TerminalProgress(System.err) : NONE;
    }

    @Override
    public void phase(String name, long steps) {
        this.phase = name;
        this.total = steps;
        draw(0, true);
    }

    @Override
    public void advance(long done) {
        draw(done, false);
    }

    @Override
    public void finish() {
        if (drawn) {
            out.print("\r\u001b[K");
            out.flush();
            drawn = false;
        }
    }

    private void draw(long done, boolean force) {
        long now = System.nanoTime();
        if (!force && drawn && now - lastDraw < REDRAW_NANOS && done < total) {
            return;
        }
        lastDraw = now;
        drawn = true;
        out.print("\r" + render(phase, done, total) + "\u001b[K");
        out.flush();
    }

    /** The line's text. Pure, for tests. */
    public static String render(String phase, long done, long total) {
        if (total <= 0) {
            return String.format(Locale.ROOT, "fsck: %s %,d", phase, done);
        }
        double f = Math.max(0, Math.min(1, (double) done / total));
        return String.format(Locale.ROOT, "fsck: %s %s %3.0f%%  %,d/%,d", phase, ProgressBar.bar(f, WIDTH), 100 * f,
                done, total);
    }
}
