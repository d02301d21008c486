package io.tierfs.it.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One cluster member as a child JVM running the real {@code tierfs node --config FILE}: started, killed with
 * SIGKILL (a real kill -9), stopped with SIGTERM and started again from the same state and config.
 */
public final class ClusterNodeProcess implements AutoCloseable {
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);

    private final String name;
    private final Path base;
    private final Path config;
    private final Optional<Path> mount;
    private Process process;
    private Path log;
    private int starts;

    private ClusterNodeProcess(String name, Path base, Path config, Optional<Path> mount) {
        this.name = name;
        this.base = base;
        this.config = config;
        this.mount = mount;
    }

    /**
     * @param hocon the node's whole config file (roles, state, mount, ports, seeds, journal)
     * @param mount the mount point named in it, if the node is a client
     */
    public static ClusterNodeProcess start(String name, Path base, String hocon, Optional<Path> mount) throws IOException {
        Files.createDirectories(base);
        Path cfg = base.resolve(name + ".conf");
        Files.writeString(cfg, hocon);
        ClusterNodeProcess p = new ClusterNodeProcess(name, base, cfg, mount);
        p.launch();
        return p;
    }

    public void launch() throws IOException {
        starts++;
        log = base.resolve(name + "-" + starts + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=4");
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.tierfs.node.cli.Main");
        cmd.add("node");
        cmd.add("--config");
        cmd.add(config.toString());
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Instant deadline = Instant.now().plus(START_DEADLINE);
        while (!isUp()) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + ": " + tail());
            }
            if (Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                throw new IOException(name + " not up within " + START_DEADLINE + ": " + tail());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // poll interval, bounded by the deadline
        }
    }

    private boolean isUp() throws IOException {
        String out = Files.readString(log, StandardCharsets.UTF_8);
        return out.contains("TierFS node ") && out.contains(" up: ") && (mount.isEmpty() || io.tierfs.fuse.MountTable.isMountPoint(mount.get()));
    }

    /** kill -9: no shutdown hook runs, the mount is left dead (cleared here so that a restart can mount). */
    public void kill9() throws IOException, InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        clearMount();
    }

    /** SIGTERM: a clean leave (the node unmounts, hands its shards off and stops). */
    public void stop() throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        clearMount();
    }

    private void clearMount() throws IOException {
        if (mount.isPresent() && io.tierfs.fuse.MountTable.isMountPoint(mount.get())) {
            try {
                new ProcessBuilder("fusermount", "-u", "-z", mount.get().toString()).inheritIO().start()
                        .waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while clearing " + mount.get(), e);
            }
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public String name() {
        return name;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }
}
