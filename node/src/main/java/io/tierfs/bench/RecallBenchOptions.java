package io.tierfs.bench;

import io.tierfs.borrow.LendSettings;

import java.nio.file.Path;
import java.util.List;

/**
 * Knobs of {@link RecallBench}: bytes of lent memory to recall, the engine's chunk size, where the SSD tier's
 * directory goes (must be on disk: it is the bound's medium too), where the lender keeps its chunks (tmpfs, as lent
 * memory lives there), how many chunks the evacuation moves at once ({@code tierfs.lend.recall-movers}), output
 * format.
 */
public record RecallBenchOptions(long sizeBytes, int chunkBytes, Path dir, Path lenderDir, boolean json, int movers) {
    /** The most bytes one file of the workload holds (a recall sees 16 such files per GiB). */
    public static final long MAX_FILE_BYTES = 64L << 20;

    public RecallBenchOptions {
        if (chunkBytes <= 0 || Integer.bitCount(chunkBytes) != 1) {
            throw new IllegalArgumentException("--chunk must be a power of two: " + chunkBytes);
        }
        if (sizeBytes < 2L * chunkBytes || sizeBytes % (2L * chunkBytes) != 0) {
            throw new IllegalArgumentException("--size must be a positive multiple of twice --chunk: " + sizeBytes
                    + ", " + chunkBytes);
        }
        long files = files(sizeBytes);
        if (sizeBytes % files != 0 || (sizeBytes / files) % chunkBytes != 0) {
            throw new IllegalArgumentException("--size " + sizeBytes + " does not split into " + files
                    + " files of whole " + chunkBytes + "-byte chunks");
        }
        if (movers < 1 || movers > LendSettings.MAX_RECALL_MOVERS) {
            throw new IllegalArgumentException("--movers must be between 1 and " + LendSettings.MAX_RECALL_MOVERS
                    + ": " + movers);
        }
    }

    /** With the default number of movers. */
    public RecallBenchOptions(long sizeBytes, int chunkBytes, Path dir, Path lenderDir, boolean json) {
        this(sizeBytes, chunkBytes, dir, lenderDir, json, LendSettings.DEFAULT_RECALL_MOVERS);
    }

    /** 1 GiB in 4 MiB chunks, the SSD tier under the JVM's temp dir, the lender on /dev/shm, a table. */
    public static RecallBenchOptions defaults() {
        return new RecallBenchOptions(1L << 30, 4 << 20, Path.of(System.getProperty("java.io.tmpdir")),
                Path.of("/dev/shm"), false);
    }

    /** Files the workload writes: at least two (so that half of them can be clean), at most 64 MiB each. */
    public int fileCount() {
        return Math.toIntExact(files(sizeBytes));
    }

    public long fileBytes() {
        return sizeBytes / fileCount();
    }

    private static long files(long size) {
        return Math.max(2, (size + MAX_FILE_BYTES - 1) / MAX_FILE_BYTES);
    }

    public static RecallBenchOptions parse(List<String> args) {
        RecallBenchOptions d = defaults();
        long size = d.sizeBytes;
        int chunk = d.chunkBytes;
        Path dir = d.dir;
        Path lenderDir = d.lenderDir;
        boolean json = false;
        int movers = d.movers;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--size" -> size = IoBenchOptions.parseSize(value(args, ++i, a));
                case "--chunk" -> chunk = Math.toIntExact(IoBenchOptions.parseSize(value(args, ++i, a)));
                case "--dir" -> dir = Path.of(value(args, ++i, a));
                case "--lender-dir" -> lenderDir = Path.of(value(args, ++i, a));
                case "--json" -> json = true;
                case "--movers" -> movers = Integer.parseInt(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unexpected argument '" + a + "'; usage: tierfs "
                        + RecallBench.USAGE);
            }
        }
        return new RecallBenchOptions(size, chunk, dir, lenderDir, json, movers);
    }

    private static String value(List<String> args, int i, String flag) {
        return BenchArgs.value(args, i, flag, "tierfs " + RecallBench.USAGE);
    }
}
