package io.tierfs.simulator.trace;

import io.tierfs.simulator.workload.Op;
import io.tierfs.simulator.workload.Request;
import io.tierfs.simulator.workload.RequestSource;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a request stream as a trace file (CSV, or the echofs log format), for the shipped samples, the
 * benchmark's trace and tests. Phase-relative times (workflow steps) are written as they are generated: replaying
 * the trace gives open-loop arrivals.
 */
public final class TraceWriter {
    private TraceWriter() {
    }

    /** Writes {@code time,op,path,offset,size,job} lines with a header; returns the number of requests. */
    public static long csv(RequestSource src, Path out, long limit) {
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("time,op,path,offset,size,job\n");
            Request r = new Request();
            long n = 0;
            StringBuilder sb = new StringBuilder(96);
            while (n < limit && src.next(r)) {
                if (r.op == Op.OTHER) {
                    continue;
                }
                sb.setLength(0);
                seconds(sb, r.timeNanos);
                sb.append(',').append(r.op == Op.READ ? "read" : r.op == Op.WRITE ? "write" : "delete").append(",/f/")
                        .append(r.file).append(',').append(r.offset).append(',').append(r.size).append(',')
                        .append(src.names().job(r.job)).append('\n');
                w.append(sb);
                n++;
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes echofs trace log lines ({@code seconds.micros:op:pid:tid:path|backend[:offset:size]}). */
    public static long echofs(RequestSource src, Path out, long limit) {
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("# trace format:\n# timestamp:operation:pid:tid:path|backend:arguments\n");
            Request r = new Request();
            long n = 0;
            long base = 1_767_225_600L;
            while (n < limit && src.next(r)) {
                long us = r.timeNanos / 1000;
                String ts = String.format(Locale.ROOT, "%d.%06d", base + us / 1_000_000, us % 1_000_000);
                int pid = 1000 + r.job;
                String path = "/data/f" + r.file + "|nvml";
                switch (r.op) {
                    case READ, WRITE -> w.write(ts + ":" + r.op.name().toLowerCase(Locale.ROOT) + ":" + pid + ":" + (pid + 1)
                            + ":" + path + ":" + r.offset + ":" + r.size + "\n");
                    case DELETE -> w.write(ts + ":unlink:" + pid + ":" + (pid + 1) + ":" + path + "\n");
                    default -> {
                        continue;
                    }
                }
                n++;
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void seconds(StringBuilder sb, long nanos) {
        sb.append(nanos / 1_000_000_000L).append('.');
        String frac = Long.toString(nanos % 1_000_000_000L);
        for (int i = frac.length(); i < 9; i++) {
            sb.append('0');
        }
        sb.append(frac);
    }
}
