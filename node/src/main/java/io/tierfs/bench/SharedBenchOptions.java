package io.tierfs.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Knobs of {@link SharedBench}: the mounts of the members taking part (one path per member; processes are spread
 * over them round-robin), the number of processes, the bytes each writes, the transfer size, fsync before close,
 * how many measured rounds and how much each process writes in the unmeasured warm-up round (0: none).
 */
public record SharedBenchOptions(List<Path> mounts, int procs, long bytesPerProc, int transfer, boolean fsync,
                                 int rounds, long warmupBytesPerProc, boolean json) {
    /** Rounds of the three layouts, measured; the figures are their medians. */
    static final int DEFAULT_ROUNDS = 3;
    /** Bytes each process writes in the unmeasured warm-up round of every layout. */
    static final long DEFAULT_WARMUP = 64L << 20;

    public SharedBenchOptions {
        mounts = List.copyOf(mounts);
        if (mounts.isEmpty()) {
            throw new IllegalArgumentException("missing MOUNT; usage: tierfs " + SharedBench.USAGE);
        }
        if (procs < 1) {
            throw new IllegalArgumentException("--procs must be at least 1: " + procs);
        }
        if (transfer <= 0 || transfer % 8 != 0) {
            throw new IllegalArgumentException("--transfer must be a positive multiple of 8 bytes: " + transfer);
        }
        if (bytesPerProc < transfer || bytesPerProc % transfer != 0) {
            throw new IllegalArgumentException("--size must be a positive multiple of --transfer: " + bytesPerProc
                    + ", " + transfer);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1: " + rounds);
        }
        if (warmupBytesPerProc < 0 || warmupBytesPerProc % transfer != 0) {
            throw new IllegalArgumentException("--warmup must be 0 or a multiple of --transfer: "
                    + warmupBytesPerProc + ", " + transfer);
        }
    }

    /** Transfers each process makes in a measured round. */
    long transfersPerProc() {
        return bytesPerProc / transfer;
    }

    /** The same run with {@code bytes} per process: the warm-up round's. */
    SharedBenchOptions withBytesPerProc(long bytes) {
        return new SharedBenchOptions(mounts, procs, bytes, transfer, fsync, rounds, warmupBytesPerProc, json);
    }

    /** The mount process {@code i} works through. */
    Path mountOf(int i) {
        return mounts.get(i % mounts.size());
    }

    public static SharedBenchOptions parse(List<String> args) {
        List<Path> mounts = new ArrayList<>();
        int procs = -1;
        long size = 128L << 20;
        int transfer = 1 << 20;
        boolean fsync = false;
        int rounds = DEFAULT_ROUNDS;
        long warmup = DEFAULT_WARMUP;
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--procs" -> procs = BenchArgs.count(value(args, ++i, a), a);
                case "--size" -> size = IoBenchOptions.parseSize(value(args, ++i, a));
                case "--transfer" -> transfer = Math.toIntExact(IoBenchOptions.parseSize(value(args, ++i, a)));
                case "--fsync" -> fsync = true;
                case "--rounds" -> rounds = BenchArgs.count(value(args, ++i, a), a);
                case "--warmup" -> warmup = IoBenchOptions.parseSize(value(args, ++i, a));
                case "--json" -> json = true;
                default -> {
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("unexpected argument '" + a + "'; usage: tierfs "
                                + SharedBench.USAGE);
                    }
                    mounts.add(Path.of(a));
                }
            }
        }
        // default: two processes per member, at least four
        int p = procs > 0 ? procs : Math.max(4, 2 * mounts.size());
        // the warm-up never writes more than a measured round, and stays a whole number of transfers
        long w = Math.min(warmup, size) / transfer * transfer;
        return new SharedBenchOptions(mounts, p, size, transfer, fsync, rounds, w, json);
    }

    private static String value(List<String> args, int i, String flag) {
        return BenchArgs.value(args, i, flag, "tierfs " + SharedBench.USAGE);
    }
}
