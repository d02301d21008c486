package io.tierfs.it;

import io.tierfs.meta.testing.TestFiles;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real thing: a child JVM running {@code tierfs mount} (the CLI's own entry point) on a fresh mount point and
 * state directory. {@link #restart()} sends SIGTERM (clean unmount) and mounts again; {@link #crash()} sends
 * SIGKILL, clears the dead mount with {@code fusermount -u -z} and mounts again from the same state.
 * Tiers are small (DRAM 16 MiB) so that migrations happen during every suite.
 */
public final class MountedTierFs implements FsUnderTest {
    private static final Logger LOG = LoggerFactory.getLogger(MountedTierFs.class);
    private static final Duration START_DEADLINE = Duration.ofSeconds(90);

    private final Path base;
    private final Path mountPoint;
    private final Path state;
    private final Path config;
    private final OptionalLong capacity;
    private Process process;
    private Path log;
    private int starts;

    private MountedTierFs(Path base, OptionalLong capacity) throws IOException {
        this.base = base;
        this.mountPoint = Files.createDirectories(base.resolve("mnt"));
        this.state = base.resolve("state");
        this.config = base.resolve("tierfs.conf");
        this.capacity = capacity;
    }

    public static FsUnderTest start(FsSpec spec) throws IOException {
        Path base = Files.createTempDirectory("tierfs-mount-");
        Files.setPosixFilePermissions(base, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        MountedTierFs fs = new MountedTierFs(base, spec.tinyCapacityBytes());
        Files.writeString(fs.config, configFor(spec, base));
        fs.launch();
        return fs;
    }

    /** Small tiers: 16 MiB DRAM, 64 MiB SSD; with tinyTiers(T): T/4, T/4, T/2. */
    static String configFor(FsSpec spec, Path base) {
        long dram = 16L << 20;
        long ssd = 64L << 20;
        long hdd = 8L << 30;
        if (spec.tinyCapacityBytes().isPresent()) {
            long t = spec.tinyCapacityBytes().getAsLong();
            dram = t / 4;
            ssd = t / 4;
            hdd = t - dram - ssd;
        }
        String shm = "/dev/shm/" + base.getFileName() + "-dram";
        return "tierfs {\n"
                + "  chunk-size = 1MiB\n"
                + "  flush-interval = 500ms\n"
                + "  mover-interval = 100ms\n"
                + "  tiers = [\n"
                + "    { name = dram, kind = dram, path = \"" + shm + "\", capacity = " + dram + ", high-watermark = 0.8, low-watermark = 0.5 }\n"
                + "    { name = ssd, kind = ssd, path = \"" + base.resolve("ssd") + "\", capacity = " + ssd + ", high-watermark = 0.8, low-watermark = 0.5 }\n"
                + "    { name = hdd, kind = hdd, path = \"" + base.resolve("hdd") + "\", capacity = " + hdd + " }\n"
                + "  ]\n"
                + "}\n";
    }

    private void launch() throws IOException {
        starts++;
        log = base.resolve("node-" + starts + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=4");
        cmd.add("-Xmx1g");
        cmd.add("-Dtierfs.log.fuse=DEBUG"); // every answered errno and why, for logAbout
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.tierfs.node.cli.Main");
        cmd.add("mount");
        cmd.add(mountPoint.toString());
        cmd.add("--state");
        cmd.add(state.toString());
        cmd.add("--config");
        cmd.add(config.toString());
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Instant deadline = Instant.now().plus(START_DEADLINE);
        while (!isMounted()) {
            if (!process.isAlive()) {
                throw new IOException("tierfs mount exited with " + process.exitValue() + ": " + tail());
            }
            if (Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                throw new IOException("tierfs mount not ready within " + START_DEADLINE + ": " + tail());
            }
            pause();
        }
        LOG.info("TierFS mounted on {} (pid {}, start #{})", mountPoint, process.pid(), starts);
    }

    private boolean isMounted() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].equals(mountPoint.toString()) && line.contains("fuse.tierfs")) {
                return true;
            }
        }
        return false;
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * What the engine said about chunks in every start's log (recovery, close, flushes, moves, warnings): the
     * evidence a failed data check needs, since the directory is removed after the test.
     */
    @Override
    public String engineEvidence() {
        StringBuilder out = new StringBuilder();
        for (String line : logLinesWhere(line -> line.contains("recovery") || line.contains("close:")
                || line.contains("WARN") || line.contains("ERROR") || line.contains("move") || line.contains("flush"))) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    @Override
    public String logAbout(List<String> paths, int max) {
        List<String> needles = paths.stream().map(p -> "/" + p).toList(); // as libfuse names them
        List<String> found = logLinesWhere(line -> needles.stream()
                .anyMatch(n -> line.contains(n + " ") || line.contains(n + ":")));
        return String.join("\n", found.subList(Math.max(0, found.size() - max), found.size()));
    }

    /** The lines of every start's log that {@code which} accepts, each prefixed with its log's name, in order. */
    private List<String> logLinesWhere(java.util.function.Predicate<String> which) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= starts; i++) {
            Path l = base.resolve("node-" + i + ".log");
            try {
                for (String line : Files.readAllLines(l, StandardCharsets.UTF_8)) {
                    if (which.test(line)) {
                        out.add(l.getFileName() + ": " + line);
                    }
                }
            } catch (IOException e) {
                out.add(l.getFileName() + ": (no log: " + e.getMessage() + ")");
            }
        }
        return out;
    }

    /** Poll interval of the wait-until-mounted loop (bounded by START_DEADLINE). */
    private static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // poll interval of a loop bounded by START_DEADLINE
    }

    @Override
    public Path root() {
        return mountPoint;
    }

    @Override
    public void restart() throws IOException {
        stop(false);
        launch();
    }

    @Override
    public void crash() throws IOException {
        stop(true);
        launch();
    }

    private void stop(boolean kill) throws IOException {
        if (process == null) {
            return;
        }
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("node did not stop within 60 s after {}, killing it: {}", kill ? "SIGKILL" : "SIGTERM", tail());
                process.destroyForcibly();
                process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the node", e);
        }
        if (!kill && process.exitValue() != 0 && process.exitValue() != 143) {
            throw new IOException("node exited with " + process.exitValue() + " on SIGTERM: " + tail());
        }
        process = null;
        if (isMounted()) {
            Proc.Result r = Proc.run(List.of("fusermount", "-u", "-z", mountPoint.toString()));
            if (r.exit() != 0 && isMounted()) {
                throw new IOException("cannot clear the mount after the node stopped: " + r);
            }
        }
    }

    /** The node's state directory (journal, layout, gateway port and token). */
    public Path stateDir() {
        return state;
    }

    /**
     * Waits until the node process exits by itself (e.g. after `tierfs umount`); returns its exit code.
     *
     * @throws IOException if it is still running after {@code deadline}
     */
    public int awaitExit(Duration deadline) throws IOException {
        try {
            if (!process.waitFor(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new IOException("node still running after " + deadline + ": " + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        int rc = process.exitValue();
        process = null;
        return rc;
    }

    /** The node's console output so far (what `tierfs mount` printed). */
    public String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public boolean supportsMigration() {
        return true;
    }

    @Override
    public void forceMigration() throws IOException {
        post("/api/v1/mover/demote-all");
    }

    private void post(String path) throws IOException {
        String addr = Files.readString(state.resolve("gateway.port")).trim();
        String token = Files.readString(state.resolve("gateway.token")).trim();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + addr + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> resp = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() / 100 != 2) {
                throw new IOException("POST " + path + " -> " + resp.statusCode() + ": " + resp.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public OptionalLong capacityBytes() {
        return capacity;
    }

    @Override
    public String describe() {
        return "TierFS mount " + mountPoint + " (state " + state + ", log " + log + ")";
    }

    @Override
    public void close() throws IOException {
        try {
            stop(false);
        } finally {
            if (!Boolean.getBoolean("tierfs.it.keep")) { // -Dtierfs.it.keep=true: state and log kept for a post-mortem
                TestFiles.deleteTree(Path.of("/dev/shm/" + base.getFileName() + "-dram"));
                TestFiles.deleteTree(base);
            }
        }
    }
}
