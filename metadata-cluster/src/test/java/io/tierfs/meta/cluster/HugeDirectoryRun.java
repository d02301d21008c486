package io.tierfs.meta.cluster;

import io.tierfs.common.Caller;
import io.tierfs.common.DirEntry;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Namespace;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;

/**
 * Child-JVM program of {@link HugeDirectoryTest}: in ONE directory, creates {@code args[1]} files with
 * {@code args[2]} threads, stats each, lists the directory in pages of 1,000 (counting names and checking order),
 * unlinks everything, and prints one "PHASE name count seconds heapMiB" line per phase and "DONE". Run with a small
 * -Xmx: finishing at all is the proof that memory stays bounded.
 */
public final class HugeDirectoryRun {
    private HugeDirectoryRun() {
    }

    public static void main(String[] args) throws Exception {
        int files = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        try (MetadataNode node = MetadataNode.startEmbedded(Path.of(args[0]), Clock.systemUTC())) {
            Namespace ns = node.namespace();
            long dir = ns.mkdir(InodeRef.ROOT_INO, "huge", 0755, Caller.ROOT).ref().ino();
            phase("create", files, () -> parallel(threads, files, i -> ns.create(dir, name(i), 0644, Caller.ROOT, true)));
            ns.sync(dir);
            phase("stat", files, () -> parallel(threads, files, i -> ns.lookup(dir, name(i))));
            phase("readdir", files, () -> {
                String after = null;
                long n = 0;
                while (true) {
                    List<DirEntry> page = ns.readdir(dir, after, 1000);
                    if (page.isEmpty()) {
                        break;
                    }
                    for (DirEntry e : page) {
                        if (after != null && e.name().compareTo(after) <= 0) {
                            throw new IllegalStateException("readdir out of order at " + e.name());
                        }
                        after = e.name();
                        n++;
                    }
                }
                if (n != files) {
                    throw new IllegalStateException("readdir listed " + n + " of " + files);
                }
            });
            phase("unlink", files, () -> parallel(threads, files, i -> ns.unlink(dir, name(i))));
            ns.sync(dir);
            if (!ns.readdir(dir, null, 10).isEmpty()) {
                throw new IllegalStateException("directory not empty after unlinking everything");
            }
            ns.rmdir(InodeRef.ROOT_INO, "huge");
        }
        System.out.println("DONE");
    }

    private static String name(int i) {
        return String.format("file-%08d", i);
    }

    interface Op {
        void run(int i) throws Exception;
    }

    interface Body {
        void run() throws Exception;
    }

    private static void parallel(int threads, int n, Op op) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            fs.add(pool.submit(() -> {
                for (int i = first; i < n; i += threads) {
                    op.run(i);
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
    }

    private static void phase(String name, int count, Body body) throws Exception {
        long t0 = System.nanoTime();
        body.run();
        double s = (System.nanoTime() - t0) / 1e9;
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        System.out.printf("PHASE %s %d %.1f %d%n", name, count, s, heap);
        System.out.flush();
    }
}
