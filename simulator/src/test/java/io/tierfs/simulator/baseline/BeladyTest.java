package io.tierfs.simulator.baseline;

import io.tierfs.simulator.trace.CsvTraceSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BeladyTest {
    @TempDir
    Path tmp;

    BeladyResult run(String pages, long cap) {
        StringBuilder sb = new StringBuilder();
        int t = 0;
        for (String p : pages.split(" ")) {
            sb.append(t++).append(",read,/").append(p).append(",0,1\n");
        }
        return Belady.run(new CsvTraceSource(new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)), "b.csv"),
                cap, tmp);
    }

    @Test
    void theTextbookSequenceWithThreeFramesHasFiveHits() {
        // 1 2 3 4 1 2 5 1 2 3 4 5 with 3 frames: MIN faults 7 times (hits at the 2nd 1 and 2, 3rd 1 and 2, 2nd 3):
        // 4 and 5 are bypassed since their next use is further than every cached page's.
        BeladyResult r = run("1 2 3 4 1 2 5 1 2 3 4 5", 3);
        assertEquals(12, r.readRequests());
        assertEquals(5, r.hitRequests());
        assertEquals(5.0 / 12, r.hitRatioBytes(), 1e-9);
    }

    @Test
    void evictsTheFurthestNextUse() {
        // cap 2: a b c a b -> at c, a (next 3) and b (next 4) cached, c never used again -> bypass; a, b hit
        assertEquals(2, run("a b c a b", 2).hitRequests());
        // cap 2: a b c c a -> at c (next 3): b is never used again -> evict b, keep a; c hits, a hits
        assertEquals(2, run("a b c c a", 2).hitRequests());
        // cap 1: a a a b b -> 3 hits
        assertEquals(3, run("a a a b b", 1).hitRequests());
    }

    @Test
    void aLongStreamUsesSpillFilesNotMemory() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300_000; i++) {
            sb.append(i).append(",read,/").append(i % 7).append(",0,1\n");
        }
        BeladyResult r = Belady.run(new CsvTraceSource(new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)), "c.csv"), 7, tmp);
        assertEquals(300_000 - 7, r.hitRequests());
    }
}
