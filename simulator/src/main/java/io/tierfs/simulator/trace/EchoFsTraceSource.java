package io.tierfs.simulator.trace;

import io.tierfs.simulator.workload.Op;
import io.tierfs.simulator.workload.Request;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * The echofs (efs-ng) trace log: {@code timestamp:operation:pid:tid:path|backend:arguments}, as echofs built
 * with tracing writes it (its header documents: timestamp = epoch with microsecond precision; read and write
 * carry {@code offset:size} after the path; nvml_read/nvml_write are low-level duplicates of them).
 * <p>
 * Timestamps: a decimal number is seconds ("1490000000.123456"); an integer of 13 digits or more is
 * microseconds, a shorter one seconds. {@code |backend} is stripped from the path. read and write are simulated,
 * unlink deletes; access, close, closedir, create, fsync, open, opendir, readdir, stat, truncate and the nvml_*
 * records are counted and otherwise ignored. The job of a record is its pid.
 */
public final class EchoFsTraceSource extends TraceSource {
    private static final byte COLON = ':';

    public EchoFsTraceSource(Path file) {
        super(file);
    }

    public EchoFsTraceSource(InputStream in, String name) {
        super(in, name, -1);
    }

    @Override
    protected boolean parse(byte[] b, int s, int e, Request r) {
        int c1 = Fields.indexOf(b, s, e, COLON);
        int c2 = c1 < 0 ? -1 : Fields.indexOf(b, c1 + 1, e, COLON);
        int c3 = c2 < 0 ? -1 : Fields.indexOf(b, c2 + 1, e, COLON);
        int c4 = c3 < 0 ? -1 : Fields.indexOf(b, c3 + 1, e, COLON);
        if (c4 < 0) {
            throw bad("expected timestamp:operation:pid:tid:path[:offset:size]");
        }
        long t = timestamp(b, s, c1);
        long pid = Fields.parseLong(b, c2 + 1, c3);
        if (pid < 0 || Fields.parseLong(b, c3 + 1, c4) < 0) {
            throw bad("pid and tid must be non-negative integers");
        }
        int job = job(b, c2 + 1, c3, "pid ");
        Op op = op(b, c1 + 1, c2);
        if (Fields.equalsIgnoreCase(b, c1 + 1, c2, "nvml_read") || Fields.equalsIgnoreCase(b, c1 + 1, c2, "nvml_write")) {
            r.set(t, Op.OTHER, -1, 0, 0, job);
            return true;
        }
        int pathFrom = c4 + 1;
        int pathTo = e;
        long off = 0;
        long size = 0;
        if (op == Op.READ || op == Op.WRITE) {
            int last = lastColon(b, pathFrom, e);
            int prev = last < 0 ? -1 : lastColon(b, pathFrom, last);
            if (prev < 0) {
                throw bad("read and write need path:offset:size");
            }
            off = Fields.parseLong(b, prev + 1, last);
            size = Fields.parseLong(b, last + 1, e);
            if (off < 0 || size < 0) {
                throw bad("offset and size must be non-negative integers");
            }
            pathTo = prev;
        }
        int bar = Fields.indexOf(b, pathFrom, pathTo, (byte) '|');
        if (bar >= 0) {
            pathTo = bar;
        }
        if (pathTo <= pathFrom) {
            throw bad("empty path");
        }
        r.set(t, op, paths.intern(b, pathFrom, pathTo), off, size, job);
        return true;
    }

    private static int lastColon(byte[] b, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == COLON) {
                return i;
            }
        }
        return -1;
    }

    private long timestamp(byte[] b, int from, int to) {
        boolean decimal = Fields.indexOf(b, from, to, (byte) '.') >= 0;
        if (decimal) {
            long ns = Fields.parseSecondsAsNanos(b, from, to);
            if (ns < 0) {
                throw bad("timestamp is not a number");
            }
            return ns;
        }
        long v = Fields.parseLong(b, from, to);
        if (v < 0) {
            throw bad("timestamp is not a number");
        }
        return to - from >= 13 ? v * 1_000L : v * 1_000_000_000L;
    }

    private Op op(byte[] b, int from, int to) {
        if (Fields.equalsIgnoreCase(b, from, to, "read")) {
            return Op.READ;
        }
        if (Fields.equalsIgnoreCase(b, from, to, "write")) {
            return Op.WRITE;
        }
        if (Fields.equalsIgnoreCase(b, from, to, "unlink")) {
            return Op.DELETE;
        }
        for (String known : OTHER) {
            if (Fields.equalsIgnoreCase(b, from, to, known)) {
                return Op.OTHER;
            }
        }
        throw bad("unknown operation");
    }

    private static final String[] OTHER = {"access", "close", "closedir", "create", "fsync", "open", "opendir",
            "readdir", "stat", "truncate", "nvml_read", "nvml_write"};
}
