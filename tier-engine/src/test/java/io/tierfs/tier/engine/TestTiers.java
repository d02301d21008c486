package io.tierfs.tier.engine;

import io.tierfs.common.config.TierKind;
import io.tierfs.common.config.TierSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Tier directories for a test: DRAM on /dev/shm (tmpfs, as in production), SSD and HDD under a temp dir. */
final class TestTiers implements AutoCloseable {
    final Path dram;
    final Path root;

    TestTiers(Path tempDir) {
        this.root = tempDir;
        this.dram = Path.of("/dev/shm", "tierfs-test-" + UUID.randomUUID());
    }

    List<TierSpec> specs(long dramCap, long ssdCap, long hddCap) {
        return List.of(
                new TierSpec("dram", TierKind.DRAM, dram, dramCap, 0.9, 0.7),
                new TierSpec("ssd", TierKind.SSD, root.resolve("ssd"), ssdCap, 0.9, 0.7),
                new TierSpec("hdd", TierKind.HDD, root.resolve("hdd"), hddCap, 0.9, 0.7));
    }

    Path layoutDir() {
        return root.resolve("layout");
    }

    /** Simulates a reboot: the tmpfs content is gone. */
    void wipeDram() {
        deleteTree(dram);
    }

    /** Number of chunk files under a tier directory. */
    static long files(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(x);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a condition with a deadline (no blind sleeps). */
    static void await(String what, long timeoutMillis, BooleanSupplier cond) {
        if (!io.tierfs.common.time.Await.within(java.time.Duration.ofMillis(timeoutMillis), cond)) {
            throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for: " + what);
        }
    }

    @Override
    public void close() {
        deleteTree(dram);
    }
}
