package io.tierfs.meta.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the multi-node tests: Debian's package, started through the same
 * {@code scripts/dev-postgres.sh} the README uses, once per test JVM on a free port of 127.0.0.1, stopped when the
 * JVM exits. Every test takes a fresh database ({@link #newDatabase}) so that journals never mix.
 */
public final class PostgresServer {
    private static PostgresServer instance;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path dir;
    private final int port;

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** The JVM's server, started on first use. Fails (not skips) when PostgreSQL is missing: setup.sh installs it. */
    public static synchronized PostgresServer get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory(Path.of("/tmp"), "tierfs-pg-");
                int port = freePort();
                run(List.of(script().toString(), "start", dir.toString(), Integer.toString(port)));
                PostgresServer pg = new PostgresServer(dir, port);
                Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "postgres-stop"));
                instance = pg;
            } catch (IOException e) {
                throw new IllegalStateException("cannot start PostgreSQL for the tests", e);
            }
        }
        return instance;
    }

    /** A new empty database; its JDBC URL (user tierfs, no password). */
    public String newDatabase() {
        String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("tierfs"), "tierfs", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    /** Stops the server and removes its data directory (at JVM exit). */
    private void stop() {
        try {
            run(List.of(script().toString(), "stop", dir.toString()));
            TestFiles.deleteTree(dir);
        } catch (IOException e) {
            System.err.println("postgres stop or removing " + dir + " failed: " + e);
        }
    }

    /** scripts/dev-postgres.sh of this checkout (the tests run with a module directory as working directory). */
    static Path script() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path s = p.resolve("scripts/dev-postgres.sh");
            if (Files.isExecutable(s)) {
                return s;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("scripts/dev-postgres.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd + " did not finish in 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(cmd + " failed (exit " + p.exitValue() + "): " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
