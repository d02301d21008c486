package io.tierfs.migration;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.config.TierFsConfig;
import io.tierfs.common.config.TierKind;
import io.tierfs.common.config.TierSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/** Shared helpers of the migration tests: configs on temp dirs (DRAM on /dev/shm), data, waiting. */
final class TestSupport {
    private TestSupport() {
    }

    static TierFsConfig config(Path state, Path dram, long chunk, long dramCap, long ssdCap, long hddCap,
                               Duration flush, Duration mover) {
        List<TierSpec> tiers = List.of(
                new TierSpec("dram", TierKind.DRAM, dram, dramCap, 0.9, 0.5),
                new TierSpec("ssd", TierKind.SSD, state.resolve("ssd"), ssdCap, 0.9, 0.5),
                new TierSpec("hdd", TierKind.HDD, state.resolve("hdd"), hddCap, 0.9, 0.5));
        return new TierFsConfig(state, chunk, flush, mover, tiers, false, List.of(), ConfigFactory.empty());
    }

    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static long crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return c.getValue();
    }

    static byte[] read(io.tierfs.tier.DataStore s, long ino, long off, int n) {
        ByteBuffer buf = ByteBuffer.allocate(n);
        s.read(ino, off, buf);
        return buf.array();
    }

    static long files(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".mv")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A test's teardown: closes {@code store} (if one was opened), then removes its DRAM directory whatever happened. */
    static void closeAndDelete(io.tierfs.tier.DataStore store, Path dram) {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            deleteTree(dram);
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

    static void await(String what, long timeoutMillis, BooleanSupplier cond) {
        if (!io.tierfs.common.time.Await.within(java.time.Duration.ofMillis(timeoutMillis), cond)) {
            throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for: " + what);
        }
    }
}
