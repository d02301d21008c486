package io.tierfs.it.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small python3 child process that opens one file and takes locks on it as told through its stdin, one command a
 * line, printing one answer line per command: {@code ok}, {@code err <errno>}, or for getlk
 * {@code lk <type> <start> <len> <pid>} ({@code lk U} when free). A blocking command answers only once it returns.
 * Commands: {@code posix W|R <start> <len> wait|nb}, {@code unlock <start> <len>}, {@code getlk W|R <start> <len>},
 * {@code flock EX|SH wait|nb}, {@code funlock}, {@code exit}.
 */
final class Locker implements AutoCloseable {
    private static final String SCRIPT = String.join("\n",
            "import fcntl, os, struct, sys",
            "f = open(sys.argv[1], 'r+b')",
            "def out(s):",
            "    sys.stdout.write(s + '\\n'); sys.stdout.flush()",
            "out('ready')",
            "for line in sys.stdin:",
            "    p = line.split()",
            "    try:",
            "        if p[0] == 'posix':",
            "            cmd = fcntl.LOCK_EX if p[1] == 'W' else fcntl.LOCK_SH",
            "            if p[4] == 'nb': cmd |= fcntl.LOCK_NB",
            "            fcntl.lockf(f, cmd, int(p[3]), int(p[2]), 0); out('ok')",
            "        elif p[0] == 'unlock':",
            "            fcntl.lockf(f, fcntl.LOCK_UN, int(p[2]), int(p[1]), 0); out('ok')",
            "        elif p[0] == 'getlk':",
            "            t = fcntl.F_WRLCK if p[1] == 'W' else fcntl.F_RDLCK",
            "            r = fcntl.fcntl(f, fcntl.F_GETLK, struct.pack('hhxxxxqqixxxx', t, 0, int(p[2]), int(p[3]), 0))",
            "            t, w, s, n, pid = struct.unpack('hhxxxxqqixxxx', r)",
            "            out('lk U' if t == fcntl.F_UNLCK else 'lk %s %d %d %d' % ('W' if t == fcntl.F_WRLCK else 'R', s, n, pid))",
            "        elif p[0] == 'flock':",
            "            cmd = fcntl.LOCK_EX if p[1] == 'EX' else fcntl.LOCK_SH",
            "            if p[2] == 'nb': cmd |= fcntl.LOCK_NB",
            "            fcntl.flock(f, cmd); out('ok')",
            "        elif p[0] == 'funlock':",
            "            fcntl.flock(f, fcntl.LOCK_UN); out('ok')",
            "        elif p[0] == 'exit':",
            "            out('bye'); os._exit(0)",
            "    except OSError as e:",
            "        out('err %d' % e.errno)",
            "");

    private final Process process;
    private final Writer in;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final String name;

    private Locker(String name, Process process) {
        this.name = name;
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    answers.add(line);
                }
            } catch (IOException e) {
                answers.add("io " + e.getMessage());
            }
        }, "locker-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a locker on {@code file} and waits until it has opened it. */
    static Locker open(String name, Path file) throws IOException {
        Process p = new ProcessBuilder("python3", "-c", SCRIPT, file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Locker l = new Locker(name, p);
        String first = l.answer(Duration.ofSeconds(30));
        if (!"ready".equals(first)) {
            l.close();
            throw new IOException(name + " did not open " + file + ": " + first);
        }
        return l;
    }

    /** Sends a command without waiting for its answer (a blocking lock). */
    void send(String command) throws IOException {
        in.write(command + "\n");
        in.flush();
    }

    /** Sends a command and returns its answer (within {@code within}). */
    String ask(String command, Duration within) throws IOException {
        send(command);
        return answer(within);
    }

    /** The next answer; fails when none comes within {@code within}. */
    String answer(Duration within) throws IOException {
        try {
            String a = answers.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (a == null) {
                throw new AssertionError(name + ": no answer within " + within);
            }
            return a;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Whether an answer is already there (a blocking command returned). */
    boolean answered() {
        return !answers.isEmpty();
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** kill -9 of the locker. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
