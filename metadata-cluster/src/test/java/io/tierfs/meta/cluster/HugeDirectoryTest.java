package io.tierfs.meta.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One directory with 1,000,000 entries, in a JVM whose heap is capped at 1 GiB: create, stat, paged readdir (in
 * name order, every name once) and unlink of all of them, with the journal on disk ({@link HugeDirectoryRun}).
 * The directory entity holds about 0.5-0.6 KiB per entry (525-630 MiB live at 1M, measured), inside the cap.
 */
class HugeDirectoryTest {
    @TempDir
    Path stateDir;

    @Test
    void millionEntriesInOneDirectoryWithinAOneGibHeap() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4",
                "-cp", System.getProperty("java.class.path"), HugeDirectoryRun.class.getName(),
                stateDir.toString(), "1000000", "4");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> phases = new ArrayList<>();
        boolean done = false;
        StringBuilder tail = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("PHASE ")) {
                    phases.add(line);
                    System.out.println(line);
                } else if (line.equals("DONE")) {
                    done = true;
                } else if (line.contains("Exception") || line.contains("Error")) {
                    tail.append(line).append('\n');
                }
            }
        }
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "child did not finish");
        assertEquals(0, p.exitValue(), "child failed: " + tail);
        assertTrue(done, "child did not finish every phase: " + phases + "\n" + tail);
        assertEquals(4, phases.size(), phases.toString());
    }
}
