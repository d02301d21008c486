package io.tierfs.node;

import io.tierfs.node.cli.ProgressBar;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarTest {
    @Test
    void rendersFractionBytesAndClampsOutOfRangeValues() {
        assertEquals("copy [###############...............]  50%  1.0 MiB / 2.0 MiB",
                ProgressBar.render("copy", 1 << 20, 2 << 20));
        assertTrue(ProgressBar.render("copy", 5 << 20, 2 << 20).contains("100%"));
        assertEquals("scan 512 B", ProgressBar.render("scan", 512, 0));
        assertEquals("[#####.....]", ProgressBar.bar(0.5, 10));
        assertEquals("[..........]", ProgressBar.bar(Double.NaN, 10));
    }

    @Test
    void drawsInPlaceOnlyWhenEnabledAndEndsTheLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        ProgressBar off = new ProgressBar("x", 10, ps, false);
        off.update(5);
        off.done(10);
        assertEquals("", buf.toString(StandardCharsets.UTF_8));
        ProgressBar on = new ProgressBar("x", 10, ps, true);
        on.update(5);
        on.update(6); // within 100 ms of the last redraw: skipped
        on.done(10);
        String s = buf.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("\r") && s.endsWith("\n"), s);
        assertEquals(2, s.split("\r", -1).length - 1, "one redraw and the final line: " + s);
    }
}
