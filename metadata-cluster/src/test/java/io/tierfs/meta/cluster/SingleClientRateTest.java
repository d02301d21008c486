package io.tierfs.meta.cluster;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Caller;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Namespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What ONE thread gets through the clustered namespace into one directory, journal on disk: creates/s (the FUSE
 * case of a process creating files one after the other), lookups/s, negative lookups/s and getattrs/s. Logs the numbers.
 */
class SingleClientRateTest {
    private static final Logger LOG = LoggerFactory.getLogger(SingleClientRateTest.class);
    private static final int N = Integer.getInteger("tierfs.perf.single", 5000);

    @TempDir
    Path stateDir;

    @Test
    void sequentialCreatesAndLookups() {
        try (MetadataNode node = MetadataNode.start(stateDir, Clock.systemUTC(), Caller.ROOT, ConfigFactory.empty())) {
            Namespace ns = node.namespace();
            long dir = ns.mkdir(InodeRef.ROOT_INO, "one", 0755, Caller.ROOT).ref().ino();
            for (int i = 0; i < 1000; i++) {   // warm-up: JIT, entity started
                ns.create(dir, "w" + i, 0644, Caller.ROOT, true);
                ns.lookup(dir, "w" + i);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < N; i++) {
                ns.create(dir, "f" + i, 0644, Caller.ROOT, true);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < N; i++) {
                ns.lookup(dir, "f" + i);
            }
            long t2 = System.nanoTime();
            int missing = 0;
            for (int i = 0; i < N; i++) {
                try {
                    ns.lookup(dir, "absent" + i);
                } catch (FsException e) {
                    if (e.errno() == Errno.ENOENT) {
                        missing++;
                    }
                }
            }
            long t3 = System.nanoTime();
            InodeRef probe = ns.lookup(dir, "f0").ref();
            for (int i = 0; i < N; i++) {
                ns.getattr(probe);
            }
            long t4 = System.nanoTime();
            assertEquals(N, missing);
            double creates = N / ((t1 - t0) / 1e9);
            double lookups = N / ((t2 - t1) / 1e9);
            double negative = N / ((t3 - t2) / 1e9);
            double getattrs = N / ((t4 - t3) / 1e9);
            LOG.info("1 thread, one directory, {} ops each: {} creates/s, {} lookups/s, {} negative lookups/s, "
                    + "{} getattrs/s", N, (long) creates, (long) lookups, (long) negative, (long) getattrs);
            assertTrue(creates > 300, "sequential creates collapsed: " + creates);
        }
    }
}
