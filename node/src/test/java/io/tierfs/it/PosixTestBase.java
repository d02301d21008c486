package io.tierfs.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * One file system per test class (mounting is the expensive part), one fresh directory per test so that tests do
 * not see each other's names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PosixTestBase {

    protected FsUnderTest fs;
    protected Path dir;

    @BeforeAll
    void startFs() throws IOException {
        fs = FsUnderTest.fromSystemProperty();
    }

    @AfterAll
    void stopFs() throws IOException {
        if (fs != null) {
            fs.close();
        }
    }

    @BeforeEach
    void freshDir(TestInfo info) throws IOException {
        String name = info.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test");
        dir = Files.createDirectory(fs.root().resolve(name));
    }

    /** Names `ls -a` prints for a directory (so . and .. come from the real readdir). */
    protected static Set<String> lsA(Path d) throws IOException {
        Proc.Result r = Proc.run(List.of("ls", "-a1", d.toString()));
        if (r.exit() != 0) {
            throw new AssertionError("ls failed: " + r);
        }
        return new TreeSet<>(Arrays.asList(r.stdout().split("\n")));
    }

    protected static boolean isRoot() {
        return Sys.P.geteuid() == 0;
    }
}
