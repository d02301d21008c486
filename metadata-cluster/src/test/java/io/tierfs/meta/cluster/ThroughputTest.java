package io.tierfs.meta.cluster;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Caller;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Creates/s and stats/s through the clustered namespace from 4 threads, journal on disk, into many directories
 * and into one directory. Logs the numbers; fails below a floor that only a broken group commit would miss.
 */
class ThroughputTest {
    private static final Logger LOG = LoggerFactory.getLogger(ThroughputTest.class);
    private static final int THREADS = 4;
    private static final int PER_THREAD = Integer.getInteger("tierfs.perf.perThread", 2000);

    @TempDir
    Path stateDir;

    @Test
    void createsAndStats() throws Exception {
        try (MetadataNode node = MetadataNode.start(stateDir, Clock.systemUTC(), Caller.ROOT, ConfigFactory.empty())) {
            Namespace ns = node.namespace();
            List<Long> dirs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                dirs.add(ns.mkdir(InodeRef.ROOT_INO, "many" + i, 0755, Caller.ROOT).ref().ino());
            }
            long one = ns.mkdir(InodeRef.ROOT_INO, "one", 0755, Caller.ROOT).ref().ino();
            // warm-up (JIT, entities started)
            run(THREADS, 500, (t, i) -> ns.create(dirs.get((t * 7 + i) % dirs.size()), "w" + t + "-" + i, 0644, Caller.ROOT, true));

            double manyCreates = run(THREADS, PER_THREAD, (t, i) ->
                    ns.create(dirs.get((t * 16 + i) % dirs.size()), "f" + t + "-" + i, 0644, Caller.ROOT, true));
            double manyStats = run(THREADS, PER_THREAD, (t, i) ->
                    ns.lookup(dirs.get((t * 16 + i) % dirs.size()), "f" + t + "-" + i));
            double oneCreates = run(THREADS, PER_THREAD, (t, i) -> ns.create(one, "f" + t + "-" + i, 0644, Caller.ROOT, true));
            double oneStats = run(THREADS, PER_THREAD, (t, i) -> ns.lookup(one, "f" + t + "-" + i));
            Node probe = ns.lookup(one, "f0-0");
            double getattrs = run(THREADS, PER_THREAD, (t, i) -> ns.getattr(probe.ref()));
            LOG.info("4 threads, {} ops each: many dirs {} creates/s, {} lookups/s; one dir {} creates/s, {} lookups/s; "
                            + "getattr {} /s", PER_THREAD, (long) manyCreates, (long) manyStats, (long) oneCreates,
                    (long) oneStats, (long) getattrs);
            assertEquals(THREADS * PER_THREAD, countAll(ns, one));
            assertTrue(oneCreates > 300, "creates into one directory collapsed: " + oneCreates);
        }
    }

    private static int countAll(Namespace ns, long dir) {
        int n = 0;
        String after = null;
        while (true) {
            var page = ns.readdir(dir, after, 1000);
            if (page.isEmpty()) {
                return n;
            }
            n += page.size();
            after = page.get(page.size() - 1).name();
        }
    }

    private static long cpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    interface Op {
        void run(int thread, int i);
    }

    private static double run(int threads, int perThread, Op op) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            long cpu0 = cpuNs();
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        op.run(id, i);
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            LOG.info("phase: {} ops in {} s, process CPU {} cores busy", threads * perThread, String.format("%.2f", secs),
                    String.format("%.2f", (cpuNs() - cpu0) / 1e9 / secs));
            return threads * (double) perThread / secs;
        } finally {
            pool.shutdown();
        }
    }
}
