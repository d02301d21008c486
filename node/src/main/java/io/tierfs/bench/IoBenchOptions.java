package io.tierfs.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Knobs of {@link IoBench}: file size and block size of the sequential phase, number of files of the metadata
 * phase, rounds (each side measured that many times, interleaved; the median is reported), output format, and an
 * optional baseline directory (default: a fresh directory under /dev/shm).
 */
public record IoBenchOptions(long sizeBytes, int blockBytes, int files, int rounds, boolean json,
                             Optional<Path> baseline) {

    public static final long DEFAULT_SIZE = 1L << 30;
    public static final int DEFAULT_BLOCK = 1 << 20;
    public static final int DEFAULT_FILES = 10_000;
    public static final int DEFAULT_ROUNDS = 3;

    public IoBenchOptions {
        if (sizeBytes <= 0 || blockBytes <= 0 || files <= 0 || rounds <= 0) {
            throw new IllegalArgumentException("size, block, files and rounds must be positive: " + sizeBytes
                    + ", " + blockBytes + ", " + files + ", " + rounds);
        }
    }

    /** 1 GiB in 1 MiB writes, 10,000 files, 3 rounds, table output, baseline under /dev/shm. */
    public static IoBenchOptions defaults() {
        return new IoBenchOptions(DEFAULT_SIZE, DEFAULT_BLOCK, DEFAULT_FILES, DEFAULT_ROUNDS, false, Optional.empty());
    }

    public IoBenchOptions withSize(long bytes) {
        return new IoBenchOptions(bytes, blockBytes, files, rounds, json, baseline);
    }

    public IoBenchOptions withBlock(int bytes) {
        return new IoBenchOptions(sizeBytes, bytes, files, rounds, json, baseline);
    }

    public IoBenchOptions withFiles(int n) {
        return new IoBenchOptions(sizeBytes, blockBytes, n, rounds, json, baseline);
    }

    public IoBenchOptions withRounds(int n) {
        return new IoBenchOptions(sizeBytes, blockBytes, files, n, json, baseline);
    }

    public IoBenchOptions withJson(boolean asJson) {
        return new IoBenchOptions(sizeBytes, blockBytes, files, rounds, asJson, baseline);
    }

    public IoBenchOptions withBaseline(Path dir) {
        return new IoBenchOptions(sizeBytes, blockBytes, files, rounds, json, Optional.of(dir));
    }

    /** Parsed command line: the target PATH and the options. */
    public record Parsed(Path target, IoBenchOptions options) {
    }

    /** Parses {@code PATH [--json] [--size 1G] [--files 10000] [--rounds 3] [--block 1M] [--baseline DIR]}. */
    public static Parsed parse(List<String> args) {
        IoBenchOptions o = defaults();
        Path target = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--json" -> o = o.withJson(true);
                case "--size" -> o = o.withSize(parseSize(value(args, ++i, a)));
                case "--files" -> o = o.withFiles(BenchArgs.count(value(args, ++i, a), a));
                case "--rounds" -> o = o.withRounds(BenchArgs.count(value(args, ++i, a), a));
                case "--block" -> o = o.withBlock(Math.toIntExact(parseSize(value(args, ++i, a))));
                case "--baseline" -> o = o.withBaseline(Path.of(value(args, ++i, a)));
                default -> {
                    if (a.startsWith("--") || target != null) {
                        throw new IllegalArgumentException("unexpected argument '" + a + "'; usage: " + usage());
                    }
                    target = Path.of(a);
                }
            }
        }
        if (target == null) {
            throw new IllegalArgumentException("missing PATH; usage: " + usage());
        }
        return new Parsed(target, o);
    }

    public static String usage() {
        return "bench io PATH [--json] [--size 1G] [--files 10000] [--rounds 3] [--block 1M] [--baseline DIR]";
    }

    private static String value(List<String> args, int i, String flag) {
        return BenchArgs.value(args, i, flag, usage());
    }

    /** "1G", "512M", "64k", "4096" (binary units). */
    public static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B") && t.length() > 1 && Character.isLetter(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        long mult = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'K' -> mult = 1L << 10;
            case 'M' -> mult = 1L << 20;
            case 'G' -> mult = 1L << 30;
            case 'T' -> mult = 1L << 40;
            default -> mult = 1;
        }
        String digits = mult == 1 ? t : t.substring(0, t.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(digits.trim()), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size: '" + s + "' (use e.g. 1G, 512M, 64K)", e);
        }
    }
}
