package io.tierfs.meta.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File helpers of the tests of every module that uses this test-jar: what a test made, it removes. */
public final class TestFiles {
    private TestFiles() {
    }

    /** Deletes {@code d} and everything below it (symlinks not followed); a missing {@code d} is fine. */
    public static void deleteTree(Path d) throws IOException {
        if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
