package io.tierfs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** The metadata phase: create, stat and unlink N empty files in one directory, each pass timed on its own. */
final class MetadataOps {

    /** Seconds per pass. */
    record Timing(double createSec, double statSec, double unlinkSec) {
    }

    private final int files;

    MetadataOps(int files) {
        this.files = files;
    }

    Timing run(Path dir) throws IOException {
        Path[] names = new Path[files];
        for (int i = 0; i < files; i++) {
            names[i] = dir.resolve("f" + i);
        }
        long t0 = System.nanoTime();
        for (Path p : names) {
            Files.createFile(p);
        }
        long t1 = System.nanoTime();
        for (Path p : names) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile() || a.size() != 0) {
                throw new IOException(p + " should be an empty regular file, stat says size " + a.size());
            }
        }
        long t2 = System.nanoTime();
        for (Path p : names) {
            Files.delete(p);
        }
        long t3 = System.nanoTime();
        try (var left = Files.list(dir)) {
            if (left.findAny().isPresent()) {
                throw new IOException(dir + " is not empty after unlinking every file");
            }
        }
        return new Timing((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
    }
}
