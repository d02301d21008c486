package io.tierfs.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Knobs of {@link DataPlaneBench}: total bytes, chunk size, request size, client threads, where the two chunk
 * directories go (tmpfs by default, as lent memory lives there), output format.
 */
public record DataPlaneBenchOptions(long sizeBytes, int chunkBytes, int blockBytes, int threads, Path dir,
                                    boolean json) {

    public DataPlaneBenchOptions {
        if (chunkBytes <= 0 || blockBytes <= 0 || chunkBytes % blockBytes != 0) {
            throw new IllegalArgumentException("--chunk must be a positive multiple of --block: " + chunkBytes + ", "
                    + blockBytes);
        }
        if (sizeBytes < chunkBytes || sizeBytes % chunkBytes != 0) {
            throw new IllegalArgumentException("--size must be a positive multiple of --chunk: " + sizeBytes + ", "
                    + chunkBytes);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1: " + threads);
        }
    }

    /** 1 GiB in 4 MiB chunks, 1 MiB requests (as the engine copies), 4 threads, under /dev/shm, a table. */
    public static DataPlaneBenchOptions defaults() {
        return new DataPlaneBenchOptions(1L << 30, 4 << 20, 1 << 20, 4, Path.of("/dev/shm"), false);
    }

    public static DataPlaneBenchOptions parse(List<String> args) {
        DataPlaneBenchOptions d = defaults();
        long size = d.sizeBytes;
        int chunk = d.chunkBytes;
        int block = d.blockBytes;
        int threads = d.threads;
        Path dir = d.dir;
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--size" -> size = IoBenchOptions.parseSize(value(args, ++i, a));
                case "--chunk" -> chunk = Math.toIntExact(IoBenchOptions.parseSize(value(args, ++i, a)));
                case "--block" -> block = Math.toIntExact(IoBenchOptions.parseSize(value(args, ++i, a)));
                case "--threads" -> threads = BenchArgs.count(value(args, ++i, a), a);
                case "--dir" -> dir = Path.of(value(args, ++i, a));
                case "--json" -> json = true;
                default -> throw new IllegalArgumentException("unexpected argument '" + a + "'; usage: tierfs "
                        + DataPlaneBench.USAGE);
            }
        }
        return new DataPlaneBenchOptions(size, chunk, block, threads, dir, json);
    }

    private static String value(List<String> args, int i, String flag) {
        return BenchArgs.value(args, i, flag, "tierfs " + DataPlaneBench.USAGE);
    }
}
