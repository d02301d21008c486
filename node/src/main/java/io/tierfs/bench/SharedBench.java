package io.tierfs.bench;

import io.tierfs.fuse.MountTable;
import io.tierfs.tier.os.PageCacheAdvice;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code tierfs bench shared}: the N-to-1 pattern of MPI-IO checkpoints and IOR's shared-file mode, against the
 * same processes writing one file each (file-per-process), in one run. Real processes (one JVM each, started before
 * the clock runs), spread round-robin over the given mounts (one per cluster member), 1 MiB transfers by default.
 * Three layouts: {@code file-per-process}; {@code shared-segmented} (process i writes the i-th contiguous block of
 * one file, IOR's default); {@code shared-strided} (transfer k of process i at {@code (k*N+i)*transfer}: every
 * chunk is written by several processes, on several members). Every process then reads back what it wrote, after
 * the file's cached pages were dropped in every mount, checking every byte; a wrong byte fails the run. A layout's
 * files are removed before the next one starts, so that each starts with the same free tiers.
 * <p>
 * This VM's bandwidth swings by 2x from one minute to the next, so the layouts run in rounds (all three in each,
 * in an order that rotates from round to round: {@link #orderOfRound}, and then backwards: {@link #passesOfRound}),
 * and a shared layout's ratio is the median of its per-round ratios to file-per-process in the same round (each
 * the mean of the layout's two runs in the round). An unmeasured warm-up round of every layout goes first.
 * <p>
 * The shared files are created through the first mount, which makes that member their data home; each claim unit
 * of them is then held by the member whose process first writes it (docs/architecture.md "Chunk holders");
 * file-per-process files are created through the mount of the process that writes them. Aggregate bandwidth = all
 * bytes / (last end - first start).
 */
public final class SharedBench {
    public static final String USAGE = "bench shared MOUNT [MOUNT...] [--procs N] [--size 128m] [--transfer 1m] "
            + "[--fsync] [--rounds 3] [--warmup 64m] [--json]";
    /** The floor: shared-file bandwidth at least this fraction of file-per-process. */
    static final double FLOOR = 0.70;
    private static final long READY_DEADLINE_SEC = 120;
    private static final long RUN_DEADLINE_SEC = 3600;

    /** How the processes' transfers map onto files. */
    public enum Layout {
        FILE_PER_PROCESS("file-per-process"), SHARED_SEGMENTED("shared-segmented"), SHARED_STRIDED("shared-strided");

        final String label;

        Layout(String label) {
            this.label = label;
        }
    }

    private SharedBench() {
    }

    public static int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        SharedBenchOptions o = SharedBenchOptions.parse(argv);
        SharedBenchReport r = run(o, err);
        out.println(o.json() ? r.toJson() : r.toTable());
        return 0;
    }

    public static SharedBenchReport run(SharedBenchOptions o, PrintStream progress) throws Exception {
        for (Path m : o.mounts()) {
            MountTable.Entry e = MountTable.at(m.toAbsolutePath().normalize());
            if (e == null || !e.isTierFs()) {
                throw new IllegalArgumentException(m + " is not a mounted TierFS (see `tierfs mount` / `tierfs node`)");
            }
        }
        String dirName = "tierfs-bench-shared-" + UUID.randomUUID();
        Path home = o.mounts().get(0).resolve(dirName);
        Files.createDirectory(home);
        long seed = System.nanoTime();
        List<SharedBenchReport.Row> rows = new ArrayList<>();
        try {
            awaitVisible(o, dirName);
            if (o.warmupBytesPerProc() > 0) {
                // members are long-running servers: the first shared write of a run would otherwise pay the JIT
                // compilation of their data-plane paths (three JVMs compiling on this VM's two vCPUs)
                progress.printf("warm-up: every layout once, %d MiB per process, not measured%n",
                        o.warmupBytesPerProc() >> 20);
                SharedBenchOptions w = o.withBytesPerProc(o.warmupBytesPerProc());
                for (Layout layout : Layout.values()) {
                    runLayout(w, layout, dirName, 0, "w", seed + layout.ordinal(), new PrintStream(
                            java.io.OutputStream.nullOutputStream()));
                }
            }
            for (int round = 1; round <= o.rounds(); round++) {
                List<Layout> order = passesOfRound(round);
                for (int i = 0; i < order.size(); i++) {
                    rows.add(runLayout(o, order.get(i), dirName, round, round + "." + (i + 1), seed + round * 8L + i,
                            progress));
                }
            }
        } finally {
            BenchFiles.deleteTree(home);
        }
        return new SharedBenchReport(o, rows);
    }

    /**
     * The layouts in the order round {@code round} runs them: rotated by one each round, so that over three rounds
     * each layout runs once first, once second and once last. Which layout follows which matters on a VM: the
     * first writes into memory freed a while ago are much slower than into memory the previous layout just freed
     * (the host takes back free guest pages and backs them again on first touch).
     */
    static List<Layout> orderOfRound(int round) {
        List<Layout> order = new ArrayList<>(List.of(Layout.values()));
        java.util.Collections.rotate(order, -((round - 1) % order.size()));
        return order;
    }

    /**
     * Every run of round {@code round}: its order, then the same backwards (A B C C B A), so that each layout's two
     * runs lie on average at the same moment of the round as the baseline's. Why: throughput rises through a run
     * (the members' JIT keeps compiling for minutes: over twelve three-member runs of session 16, the phases at
     * positions 6-9 of nine ran 1.06-1.16x their layout's mean, those at 1-3 0.88-0.92x), and with one run per
     * layout and round the layout that ran before file-per-process in more rounds (strided: in two of three) was
     * compared with a later, faster baseline more often. A trend that is linear over a round cancels out.
     */
    static List<Layout> passesOfRound(int round) {
        List<Layout> order = orderOfRound(round);
        List<Layout> passes = new ArrayList<>(order);
        List<Layout> back = new ArrayList<>(order);
        java.util.Collections.reverse(back);
        passes.addAll(back);
        return passes;
    }

    /** The file process {@code proc} writes in the run {@code tag} of {@code layout}. */
    private static String fileName(String tag, Layout layout, int proc) {
        return tag + "-" + (layout == Layout.FILE_PER_PROCESS ? "fpp-" + proc : layout.label);
    }

    /**
     * One run of {@code layout}: its files are named after the run ({@code tag}), so that no run creates a name the
     * run before removed (on a cluster another member may still hold that name for its cache TTL, and an
     * O_CREAT|O_EXCL of it there would fail with EEXIST: docs/consistency.md).
     */
    private static SharedBenchReport.Row runLayout(SharedBenchOptions o, Layout layout, String dir, int round,
                                                   String tag, long seed, PrintStream progress) throws Exception {
        List<SharedBenchWorker.Job> writes = new ArrayList<>();
        List<SharedBenchWorker.Job> reads = new ArrayList<>();
        long t = o.transfer();
        long c = o.transfersPerProc();
        for (int i = 0; i < o.procs(); i++) {
            String file = fileName(tag, layout, i);
            long first = switch (layout) {
                case FILE_PER_PROCESS -> 0;
                case SHARED_SEGMENTED -> i * o.bytesPerProc();
                case SHARED_STRIDED -> i * t;
            };
            long stride = layout == Layout.SHARED_STRIDED ? o.procs() * t : t;
            Path p = o.mountOf(i).resolve(dir).resolve(file);
            writes.add(new SharedBenchWorker.Job(true, p, o.transfer(), first, c, stride, seed, o.fsync()));
            reads.add(new SharedBenchWorker.Job(false, p, o.transfer(), first, c, stride, seed, false));
        }
        // create the files before the clock runs: the shared one through the first mount (its data home), each
        // file-per-process file through its writer's mount
        if (layout == Layout.FILE_PER_PROCESS) {
            for (int i = 0; i < o.procs(); i++) {
                Files.createFile(writes.get(i).path());
            }
        } else {
            Files.createFile(o.mounts().get(0).resolve(dir).resolve(fileName(tag, layout, 0)));
        }
        for (SharedBenchWorker.Job j : writes) {
            awaitExists(j.path());
        }
        progress.printf("round %d of %d, %s: %d processes on %d mount(s) write %d MiB each...%n", round,
                o.rounds(), layout.label, o.procs(), o.mounts().size(), o.bytesPerProc() >> 20);
        Phase w = runPhase(writes);
        for (SharedBenchWorker.Job j : reads) {
            PageCacheAdvice.dontNeed(j.path());
        }
        progress.printf("%s: reading back (cold, every byte checked)...%n", layout.label);
        Phase r = runPhase(reads);
        // every layout starts from the same free tiers: the next must not pay for demoting this one's bytes
        for (int i = 0; i < o.procs(); i++) {
            Files.deleteIfExists(o.mounts().get(0).resolve(dir).resolve(writes.get(i).path().getFileName()));
        }
        return new SharedBenchReport.Row(round, layout, w.mibPerSec(), r.mibPerSec(), w.seconds(), r.seconds());
    }

    /** The aggregate of one phase over all its processes. */
    record Phase(long bytes, double seconds) {
        double mibPerSec() {
            return seconds <= 0 ? 0 : bytes / (1024.0 * 1024.0) / seconds;
        }
    }

    /** Starts one worker per job, waits until every one has its file open, lets them go together. */
    static Phase runPhase(List<SharedBenchWorker.Job> jobs) throws Exception {
        List<Process> procs = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        try {
            String java = ProcessHandle.current().info().command().orElse("java");
            String cp = System.getProperty("java.class.path");
            for (SharedBenchWorker.Job j : jobs) {
                List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", cp,
                        SharedBenchWorker.class.getName()));
                cmd.addAll(List.of(j.toArgs()));
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                procs.add(p);
                outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (int i = 0; i < procs.size(); i++) {
                expect(outs.get(i), "ready", jobs.get(i), READY_DEADLINE_SEC);
            }
            for (Process p : procs) {
                Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
                w.write("go\n");
                w.flush();
            }
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long bytes = 0;
            for (int i = 0; i < procs.size(); i++) {
                String[] done = expect(outs.get(i), "done", jobs.get(i), RUN_DEADLINE_SEC).split(" ");
                first = Math.min(first, Long.parseLong(done[1]));
                last = Math.max(last, Long.parseLong(done[2]));
                bytes += Long.parseLong(done[3]);
            }
            for (Process p : procs) {
                p.waitFor(30, TimeUnit.SECONDS);
            }
            return new Phase(bytes, (last - first) / 1e9);
        } finally {
            for (Process p : procs) {
                p.destroyForcibly();
            }
        }
    }

    /** The worker's next line, which must start with {@code word}; its "error ..." line as the exception. */
    private static String expect(BufferedReader out, String word, SharedBenchWorker.Job job, long deadlineSec)
            throws IOException {
        // the worker prints one line per step; a silent worker is a hung file system: readLine is bounded by the
        // worker's own exit (destroyed in runPhase's finally) and by the deadline of its step
        String line = ReadLineWithDeadline.readLine(out, deadlineSec);
        if (line == null) {
            throw new IOException("bench process for " + job.path() + " exited without '" + word + "'");
        }
        if (!line.startsWith(word)) {
            throw new IOException("bench process for " + job.path() + ": " + line);
        }
        return line;
    }

    private static void awaitVisible(SharedBenchOptions o, String dir) throws IOException {
        for (Path m : o.mounts()) {
            awaitExists(m.resolve(dir));
        }
    }

    /** Waits (up to 30 s) until another member's mount shows a name created through the first one. */
    private static void awaitExists(Path p) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(p)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException(p + " did not appear within 30 s (are all mounts of one cluster?)");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
