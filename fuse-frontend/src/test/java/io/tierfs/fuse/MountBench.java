package io.tierfs.fuse;

import io.tierfs.meta.local.LocalNamespace;
import io.tierfs.vfs.InMemoryDataStore;
import io.tierfs.vfs.Vfs;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;

/** Manual benchmark (not a test): java MountBench <single|multi> <dir>. Creates/s, stats/s, dd write/read MB/s. */
public final class MountBench {
    public static void main(String[] args) throws Exception {
        boolean single = args[0].equals("single");
        Path mp = Files.createDirectories(Path.of(args[1]));
        LocalNamespace ns = new LocalNamespace(Clock.systemUTC());
        InMemoryDataStore data = new InMemoryDataStore(8L << 30);
        FuseMount m = FuseMount.mount(new TierFuse(new Vfs(ns, data, Clock.systemUTC())), mp, List.of(), single);
        try {
            Path d = Files.createDirectory(mp.resolve("c"));
            int n = 5000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                FileChannel.open(d.resolve("f" + i), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s creates: %.0f/s%n", args[0], n / s);
            t0 = System.nanoTime();
            for (int r = 0; r < 4; r++) {
                for (int i = 0; i < n; i++) {
                    Files.size(d.resolve("f" + i));
                }
            }
            s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s stats: %.0f/s%n", args[0], 4 * n / s);
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Files.delete(d.resolve("f" + i));
            }
            s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s unlinks: %.0f/s%n", args[0], n / s);
            for (String cmd : new String[]{"dd if=/dev/zero of=" + mp + "/big bs=1M count=1000 conv=fsync",
                    "dd if=" + mp + "/big of=/dev/null bs=1M"}) {
                Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                p.waitFor();
                System.out.println(args[0] + " " + cmd.substring(0, 12) + ": " + out.lines().reduce((a, b) -> b).orElse(""));
            }
        } finally {
            m.close();
            ns.close();
        }
    }
}
