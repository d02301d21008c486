package io.tierfs.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tierfs bench io PATH}: how far TierFS is from memory speed. Runs the same workload on PATH and on a
 * tmpfs baseline in one go (sequential write/fsync, warm and cold read with checksum, then create/stat/unlink of
 * many empty files) and prints both with their ratio. The sides alternate for several rounds and each metric is
 * the median: on a VM, memory the guest touches for the first time is several times slower to write (seen: 300
 * MB/s against 2 GB/s for the same dd into /dev/shm), and JIT warm-up slows a fresh node's first seconds, so
 * whichever side ran first would pay for both. Everything it creates lives in a fresh subdirectory on each side
 * and is deleted at the end.
 */
public final class IoBench {

    private static final Logger LOG = LoggerFactory.getLogger(IoBench.class);
    private static final Path SHM = Path.of("/dev/shm");
    private static final long SEED = 0x7133F5L;

    private IoBench() {
    }

    /** CLI entry: {@code IoBench PATH [--json] [--size 1G] [--files 10000] [--block 1M] [--baseline DIR]}. */
    public static void main(String[] args) {
        try {
            IoBenchOptions.Parsed p = IoBenchOptions.parse(Arrays.asList(args));
            run(p.target(), p.options().baseline().orElse(null), p.options());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("bench io failed: " + e);
            System.exit(1);
        }
    }

    /** Runs the benchmark and prints the table (or JSON with --json) on stdout. */
    public static IoBenchReport run(Path target, Path baseline, IoBenchOptions options) throws IOException {
        return run(target, baseline, options, System.out);
    }

    /**
     * Runs the benchmark on {@code target} and on {@code baseline} (null: a fresh directory under /dev/shm) and
     * prints the result on {@code out}.
     */
    public static IoBenchReport run(Path target, Path baseline, IoBenchOptions options, PrintStream out)
            throws IOException {
        if (!Files.isDirectory(target)) {
            throw new IOException("not a directory: " + target);
        }
        Path base = baseline;
        boolean ownBaseline = base == null;
        if (ownBaseline) {
            base = Files.createTempDirectory(SHM, "tierfs-bench-baseline-");
        } else if (!Files.isDirectory(base)) {
            throw new IOException("baseline is not a directory: " + base);
        }
        SequentialIo seq = new SequentialIo(options.sizeBytes(), options.blockBytes(), SEED);
        try {
            List<IoResult> tierfsRounds = new ArrayList<>();
            List<IoResult> tmpfsRounds = new ArrayList<>();
            for (int r = 0; r < options.rounds(); r++) {
                LOG.debug("bench io: round {} of {}", r + 1, options.rounds());
                tierfsRounds.add(measure(target, seq, options));
                tmpfsRounds.add(measure(base, seq, options));
            }
            IoBenchReport report = new IoBenchReport(target, base, options.sizeBytes(), options.blockBytes(),
                    options.files(), options.rounds(), IoResult.median(tierfsRounds), IoResult.median(tmpfsRounds));
            out.println(options.json() ? report.toJson() : report.toTable());
            out.flush();
            return report;
        } finally {
            if (ownBaseline) {
                BenchFiles.deleteTree(base);
            }
        }
    }

    /** One side, in its own fresh work directory that is removed afterwards. */
    private static IoResult measure(Path root, SequentialIo seq, IoBenchOptions options) throws IOException {
        Path work = Files.createTempDirectory(root, "tierfs-bench-");
        try {
            LOG.debug("bench io: sequential {} bytes on {}", options.sizeBytes(), work);
            SequentialIo.Timing t = seq.run(work.resolve("seq.dat"));
            Files.delete(work.resolve("seq.dat"));
            Path meta = Files.createDirectory(work.resolve("meta"));
            LOG.debug("bench io: {} files on {}", options.files(), meta);
            MetadataOps.Timing m = new MetadataOps(options.files()).run(meta);
            double mb = options.sizeBytes() / 1e6;
            return new IoResult(mb / t.writeSec(), mb / (t.writeSec() + t.fsyncSec()), mb / t.readSec(),
                    mb / t.coldReadSec(), options.files() / m.createSec(), options.files() / m.statSec(), options.files() / m.unlinkSec());
        } finally {
            BenchFiles.deleteTree(work);
        }
    }
}
