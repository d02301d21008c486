package io.tierfs.simulator.trace;

import io.tierfs.simulator.workload.Names;
import io.tierfs.simulator.workload.Request;
import io.tierfs.simulator.workload.RequestSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The common part of the trace readers: a streamed file, paths and jobs interned to dense ids, times made
 * relative to the first record, progress by bytes. Subclasses parse one line into the request.
 */
abstract class TraceSource implements RequestSource {
    protected final String sourceName;
    protected final LineReader lines;
    protected final PathTable paths = new PathTable();
    private final PathTable jobKeys = new PathTable();
    private final Names names = new Names();
    private final long totalBytes;
    private long base = -1;

    protected TraceSource(Path file) {
        this(open(file), file.getFileName().toString(), size(file));
    }

    protected TraceSource(InputStream in, String name, long totalBytes) {
        this.sourceName = name;
        this.lines = new LineReader(in, 1 << 20);
        this.totalBytes = totalBytes;
    }

    private static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open trace " + file + ": " + e.getMessage(), e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open trace " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public final boolean next(Request r) {
        while (lines.next()) {
            int s = lines.start;
            int e = lines.end;
            while (s < e && (lines.buf[s] == ' ' || lines.buf[s] == '\t')) {
                s++;
            }
            if (s == e || lines.buf[s] == '#') {
                continue;
            }
            if (parse(lines.buf, s, e, r)) {
                if (base < 0) {
                    base = r.timeNanos;
                }
                r.timeNanos = Math.max(0, r.timeNanos - base);
                return true;
            }
        }
        return false;
    }

    /** Parses bytes [s, e) of a non-empty, non-comment line into {@code r}; false to skip it (a header). */
    protected abstract boolean parse(byte[] b, int s, int e, Request r);

    protected TraceFormatException bad(String problem) {
        return new TraceFormatException(sourceName, lines.lineNumber(), problem + ": '" + abbreviate(lines.text()) + "'");
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    /** The job id for the name in bytes [from, to), registering it as {@code prefix + name} when new. */
    protected int job(byte[] b, int from, int to, String prefix) {
        int id = jobKeys.intern(b, from, to);
        if (id == names.jobCount()) {
            names.addJob(prefix + jobKeys.name(id));
        }
        return id;
    }

    /** The path that got file id {@code id} (ids are dense, in order of first appearance in the trace). */
    public String pathOf(int id) {
        if (id < 0 || id >= paths.size()) {
            throw new IllegalArgumentException("no file " + id + " in " + sourceName);
        }
        return paths.name(id);
    }

    @Override
    public Names names() {
        return names;
    }

    /** Distinct files seen so far. */
    public int files() {
        return paths.size();
    }

    @Override
    public double progress() {
        return totalBytes <= 0 ? 0 : Math.min(1.0, (double) lines.consumed() / totalBytes);
    }

    @Override
    public void close() {
        lines.close();
    }
}
