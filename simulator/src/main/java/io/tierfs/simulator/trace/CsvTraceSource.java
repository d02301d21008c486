package io.tierfs.simulator.trace;

import io.tierfs.simulator.workload.Op;
import io.tierfs.simulator.workload.Request;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * The CSV trace: {@code time,op,path,offset,size[,job]}, time in seconds (decimal), op one of read, write,
 * delete (or unlink); an optional header line starting with "time"; '#' comments. Paths must not contain commas.
 */
public final class CsvTraceSource extends TraceSource {
    private static final byte COMMA = ',';
    private final int[] cut = new int[7];
    private int defaultJob = -1;

    public CsvTraceSource(Path file) {
        super(file);
    }

    public CsvTraceSource(InputStream in, String name) {
        super(in, name, -1);
    }

    @Override
    protected boolean parse(byte[] b, int s, int e, Request r) {
        int n = 0;
        cut[n++] = s - 1;
        for (int i = s; i < e && n < cut.length; i++) {
            if (b[i] == COMMA) {
                cut[n++] = i;
            }
        }
        int fields = n;
        if (fields == cut.length && Fields.indexOf(b, cut[n - 1] + 1, e, COMMA) >= 0) {
            fields++;
        }
        if (fields != 5 && fields != 6) {
            if (lines.lineNumber() == 1 && Fields.equalsIgnoreCase(b, s, Math.min(e, s + 4), "time")) {
                return false;
            }
            throw bad("expected 5 or 6 comma-separated fields (time,op,path,offset,size[,job]), got " + fields);
        }
        if (Fields.equalsIgnoreCase(b, s, cut[1], "time")) {
            return false;
        }
        long t = Fields.parseSecondsAsNanos(b, s, cut[1]);
        if (t < 0) {
            throw bad("time is not a non-negative number of seconds");
        }
        Op op = op(b, cut[1] + 1, cut[2]);
        if (cut[3] == cut[2] + 1) {
            throw bad("empty path");
        }
        int file = paths.intern(b, cut[2] + 1, cut[3]);
        int sizeEnd = fields == 6 ? cut[5] : e;
        long off = Fields.parseLong(b, cut[3] + 1, cut[4]);
        long size = Fields.parseLong(b, cut[4] + 1, sizeEnd);
        if (off < 0) {
            throw bad("offset is not a non-negative integer");
        }
        if (size < 0) {
            throw bad("size is not a non-negative integer");
        }
        int job;
        if (fields == 6) {
            job = job(b, cut[5] + 1, e, "");
        } else {
            if (defaultJob < 0) {
                byte[] name = "trace".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                defaultJob = job(name, 0, name.length, "");
            }
            job = defaultJob;
        }
        r.set(t, op, file, off, size, job);
        return true;
    }

    private Op op(byte[] b, int from, int to) {
        if (Fields.equalsIgnoreCase(b, from, to, "read")) {
            return Op.READ;
        }
        if (Fields.equalsIgnoreCase(b, from, to, "write")) {
            return Op.WRITE;
        }
        if (Fields.equalsIgnoreCase(b, from, to, "delete") || Fields.equalsIgnoreCase(b, from, to, "unlink")) {
            return Op.DELETE;
        }
        throw bad("unknown op (expected read, write or delete)");
    }
}
