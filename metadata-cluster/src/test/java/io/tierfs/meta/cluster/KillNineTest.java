package io.tierfs.meta.cluster;

import io.tierfs.common.Caller;
import io.tierfs.meta.MutableClock;
import io.tierfs.meta.api.Namespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An acknowledged create survives kill -9 of the JVM: a child JVM creates files and prints each acknowledged
 * name; it is killed mid-way (destroyForcibly = SIGKILL); a node restarted on the same state dir has every name.
 */
class KillNineTest {
    @TempDir
    Path stateDir;

    @Test
    void acknowledgedCreatesSurviveKill9() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4", "-Xmx512m",
                CreateUntilKilled.class.getName(), stateDir.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        long t0 = System.nanoTime();
        Process p = pb.start();
        List<String[]> acked = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acked.add(line.substring(4).split(" "));
                    if (acked.size() >= 1000) {
                        p.destroyForcibly();   // SIGKILL while creates are in flight
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
            }
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child JVM died");
        }
        long t1 = System.nanoTime();
        assertTrue(acked.size() >= 1000, "child acknowledged only " + acked.size() + " creates before the deadline");
        try (MetadataNode node = MetadataNode.start(stateDir, new MutableClock(Instant.now()), Caller.ROOT,
                com.typesafe.config.ConfigFactory.empty())) {
            long t2 = System.nanoTime();
            Namespace ns = node.namespace();
            for (String[] a : acked) {
                ns.lookup(Long.parseLong(a[0]), a[1]);   // throws ENOENT if an acknowledged create was lost
            }
            org.slf4j.LoggerFactory.getLogger(KillNineTest.class).info(
                    "{} acknowledged creates all present; child ran {} ms, restart {} ms, checks {} ms", acked.size(),
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
        }
    }
}
