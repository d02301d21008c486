package io.tierfs.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Randomized differential test: the same random operations on the target and on a plain local directory must
 * give the same outcome (success or the exact errno) step by step, and the same tree (names, types, sizes,
 * checksums, nlink, modes) at every checkpoint. Reproduce a failure with the printed seed:
 * {@code -Dtierfs.it.seed=N}; more steps with {@code -Dtierfs.it.ops=N}.
 */
class ModelCheckTest {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCheckTest.class);
    private static final int CHECK_EVERY = Integer.getInteger("tierfs.it.checkEvery", 100);
    private static final int MIGRATE_EVERY = 300;
    private static final int HISTORY = 25;

    private enum Result { SAME_OK, SAME_ERRNO }

    @Test
    void targetBehavesLikeALocalFileSystem() throws Exception {
        long seed = Long.getLong("tierfs.it.seed", System.nanoTime());
        int ops = Integer.getInteger("tierfs.it.ops", 3000);
        System.out.println("ModelCheckTest seed=" + seed + " ops=" + ops + " (rerun with -Dtierfs.it.seed=" + seed + ")");
        LOG.info("model check seed={} ops={}", seed, ops);

        try (FsUnderTest target = FsUnderTest.fromSystemProperty();
             PlainDirFs reference = PlainDirFs.create(FsSpec.standard())) {
            Path sutRoot = Files.createDirectory(target.root().resolve("model"));
            Path refRoot = Files.createDirectory(reference.root().resolve("model"));
            ModelOpApplier sut = new ModelOpApplier(sutRoot);
            ModelOpApplier ref = new ModelOpApplier(refRoot);
            ModelOpGenerator gen = new ModelOpGenerator(new Random(seed));
            Deque<String> history = new ArrayDeque<>();
            Map<Result, Integer> counts = new EnumMap<>(Result.class);
            Map<String, Integer> perOp = new java.util.TreeMap<>();
            String context = "seed=" + seed + " on " + target.describe();

            for (int step = 1; step <= ops; step++) {
                ModelOp op = gen.next();
                ModelOpApplier.Outcome want = ref.apply(op);
                ModelOpApplier.Outcome got = sut.apply(op);
                remember(history, step + ": " + op + " -> " + want);
                if (!want.equals(got)) {
                    fail(context + " step=" + step + ": " + op + "\n  reference: " + want + "\n  target:    " + got
                            + "\nlast steps:\n" + String.join("\n", history) + "\ntarget's log about "
                            + op.paths() + ":\n" + target.logAbout(inModel(op.paths()), 20));
                }
                counts.merge(want.errno() == 0 ? Result.SAME_OK : Result.SAME_ERRNO, 1, Integer::sum);
                perOp.merge(op.getClass().getSimpleName() + ":" + (want.errno() == 0 ? "ok" : Sys.errnoName(want.errno())), 1, Integer::sum);

                if (target.supportsMigration() && step % MIGRATE_EVERY == 0) {
                    target.forceMigration();
                    remember(history, step + ": forceMigration()");
                }
                if (step == ops / 2) {
                    target.restart();
                    remember(history, step + ": restart()");
                    compareTrees(refRoot, sutRoot, context + " step=" + step + " (after restart)", history);
                } else if (step % CHECK_EVERY == 0) {
                    compareTrees(refRoot, sutRoot, context + " step=" + step, history);
                }
            }
            compareTrees(refRoot, sutRoot, context + " at the end", history);
            LOG.info("model check seed={} done: {}; per op: {}; final tree: {} names", seed, counts, perOp,
                    TreeSnapshot.of(refRoot).entries().size());
            int ok = counts.getOrDefault(Result.SAME_OK, 0);
            int errs = counts.getOrDefault(Result.SAME_ERRNO, 0);
            // a degenerate workload (nearly all errors, or none) would test little; seeds vary between about 25 %
            // and 35 % successes, so the bound is well below that
            assertTrue(ok > ops / 6 && errs > ops / 10,
                    context + ": the workload should mix successes and errors, got " + counts);
        }
    }

    private static java.util.List<String> inModel(java.util.List<String> paths) {
        return paths.stream().map(p -> "model/" + p).toList();
    }

    private static void remember(Deque<String> history, String line) {
        history.addLast(line);
        if (history.size() > HISTORY) {
            history.removeFirst();
        }
    }

    private static void compareTrees(Path refRoot, Path sutRoot, String context, Deque<String> history)
            throws IOException {
        TreeSnapshot want = TreeSnapshot.of(refRoot);
        TreeSnapshot got = TreeSnapshot.of(sutRoot);
        String diff = want.diff(got);
        if (!diff.isEmpty()) {
            fail(context + ": trees differ (expected = reference)\n" + diff + "last steps:\n"
                    + String.join("\n", history));
        }
    }
}
