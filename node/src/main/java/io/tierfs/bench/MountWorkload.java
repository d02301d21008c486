package io.tierfs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * mdtest-like phases on a directory tree through the kernel (a TierFS mount or tmpfs): C threads create
 * (open O_CREAT|O_EXCL + close), stat (lstat) and unlink F empty files, either all in one directory or spread over
 * many (each client walking through all of them). Every run works in a fresh subdirectory of {@code root} and
 * removes it.
 */
final class MountWorkload {
    private final PhaseRunner runner;
    private final int clients;
    private final int dirs;

    MountWorkload(int clients, int dirs) {
        this.runner = new PhaseRunner(clients);
        this.clients = clients;
        this.dirs = dirs;
    }

    List<PhaseResult> run(Path root, MetaLayout layout, int files) throws IOException {
        Path top = Files.createTempDirectory(root, "tierfs-bench-md-");
        Path[] set;
        IntUnaryOperator spread;
        if (layout == MetaLayout.ONE_DIR) {
            set = new Path[]{Files.createDirectory(top.resolve("one"))};
            spread = i -> 0;
        } else if (layout == MetaLayout.UNIQUE_DIRS) {
            int per = DirSpread.perClient(dirs, clients);
            set = new Path[per * clients];
            for (int d = 0; d < set.length; d++) {
                set[d] = Files.createDirectory(top.resolve("c" + (d % clients) + "-" + d / clients));
            }
            spread = i -> DirSpread.ownIndex(i, clients, per);
        } else {
            set = new Path[dirs];
            for (int d = 0; d < dirs; d++) {
                set[d] = Files.createDirectory(top.resolve("d" + d));
            }
            int n = set.length;
            spread = i -> DirSpread.index(i, clients, n);
        }
        Path[] names = new Path[files];
        for (int i = 0; i < files; i++) {
            names[i] = set[spread.applyAsInt(i)].resolve("f" + i);
        }
        List<PhaseResult> out = new ArrayList<>();
        out.add(runner.run("create", files, (c, i) -> Files.createFile(names[i]), () -> { }));
        out.add(runner.run("stat", files, (c, i) -> {
            BasicFileAttributes a = Files.readAttributes(names[i], BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                throw new IOException(names[i] + " is not a regular file");
            }
        }, () -> { }));
        out.add(runner.run("unlink", files, (c, i) -> Files.delete(names[i]), () -> { }));
        for (Path d : set) {
            Files.delete(d);
        }
        Files.delete(top);
        return out;
    }
}
