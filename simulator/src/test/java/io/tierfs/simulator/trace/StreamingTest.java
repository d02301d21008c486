package io.tierfs.simulator.trace;

import io.tierfs.common.config.TierKind;
import io.tierfs.simulator.engine.ProgressListener;
import io.tierfs.simulator.engine.Simulation;
import io.tierfs.simulator.engine.TestSims;
import io.tierfs.simulator.report.RunResult;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingTest {

    /** A CSV trace of {@code lines} requests made on the fly: never held in memory by anyone. */
    static final class GeneratedTrace extends InputStream {
        private final long lines;
        private long line;
        private byte[] cur = new byte[0];
        private int pos;
        long bytes;

        GeneratedTrace(long lines) {
            this.lines = lines;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == cur.length) {
                if (line == lines) {
                    return -1;
                }
                long f = (line * 2_654_435_761L) % 5_000;
                cur = (line / 1000 + "." + String.format("%03d", line % 1000) + "," + (line % 3 == 0 ? "write" : "read")
                        + ",/data/set/file-" + f + "," + (line % 16) * 1_048_576 + ",1048576\n").getBytes(StandardCharsets.US_ASCII);
                pos = 0;
                line++;
            }
            int n = Math.min(len, cur.length - pos);
            System.arraycopy(cur, pos, b, off, n);
            pos += n;
            bytes += n;
            return n;
        }
    }

    static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void aTraceLargerThanTheMemoryBudgetIsStreamedInBoundedMemory() {
        var cfg = TestSims.config(List.of(TestSims.tier("ssd", TierKind.SSD, 4, 2L << 30, 0.9, 0.7, 2_000_000_000L),
                TestSims.tier("hdd", TierKind.HDD, 2, 1L << 44, 0.9, 0.7, 250_000_000L)), "on-read", 5_000_000_000L,
                List.of(), List.of());
        long before = usedHeap();
        GeneratedTrace in = new GeneratedTrace(3_000_000);
        RunResult r;
        try (CsvTraceSource src = new CsvTraceSource(in, "generated.csv")) {
            r = new Simulation(cfg, "stream").run(src, ProgressListener.NONE);
        }
        long after = usedHeap();
        assertEquals(3_000_000, r.requests());
        assertTrue(in.bytes > 140_000_000L, "the trace is " + in.bytes + " bytes");
        // what stays is per-file state (5,000 files) and the 1 MiB line buffer, not the trace
        assertTrue(after - before < 32L << 20, "retained " + (after - before) + " bytes for a " + in.bytes + "-byte trace");
    }
}
