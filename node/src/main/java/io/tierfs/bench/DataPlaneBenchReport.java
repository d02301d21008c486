package io.tierfs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.Locale;

/** The outcome of a {@link DataPlaneBench} run: both sides' throughput, their ratio, and the ping round trip. */
public record DataPlaneBenchReport(DataPlaneBenchOptions options, Path dir, Side local, Side remote,
                                   double pingP50Micros, double pingP99Micros) {

    /** One side's sequential throughput (MiB/s) and the seconds it took. */
    public record Side(double writeMiBps, double readMiBps, double writeSeconds, double readSeconds) {
    }

    public double writeRatio() {
        return local.writeMiBps() == 0 ? 0 : remote.writeMiBps() / local.writeMiBps();
    }

    public double readRatio() {
        return local.readMiBps() == 0 ? 0 : remote.readMiBps() / local.readMiBps();
    }

    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "data plane: %d MiB in %d KiB chunks, %d KiB requests, %d threads; "
                        + "local = chunk files in %s, remote = the same behind ChunkServer over 127.0.0.1%n",
                options.sizeBytes() >> 20, options.chunkBytes() >> 10, options.blockBytes() >> 10, options.threads(),
                dir.getParent()));
        sb.append(String.format(Locale.ROOT, "%-20s %14s %14s %14s%n", "", "local MiB/s", "remote MiB/s",
                "remote/local"));
        sb.append(String.format(Locale.ROOT, "%-20s %14.1f %14.1f %14.3f%n", "sequential write", local.writeMiBps(),
                remote.writeMiBps(), writeRatio()));
        sb.append(String.format(Locale.ROOT, "%-20s %14.1f %14.1f %14.3f%n", "sequential read", local.readMiBps(),
                remote.readMiBps(), readRatio()));
        sb.append(String.format(Locale.ROOT, "ping round trip: p50 %.1f us, p99 %.1f us%n", pingP50Micros,
                pingP99Micros));
        return sb.toString();
    }

    public String toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("sizeBytes", options.sizeBytes());
        root.put("chunkBytes", options.chunkBytes());
        root.put("blockBytes", options.blockBytes());
        root.put("threads", options.threads());
        root.put("dir", dir.getParent().toString());
        side(root.putObject("local"), local);
        side(root.putObject("remote"), remote);
        ObjectNode ratio = root.putObject("ratio");
        ratio.put("write", BenchJson.round(writeRatio()));
        ratio.put("read", BenchJson.round(readRatio()));
        ObjectNode ping = root.putObject("ping");
        ping.put("p50Micros", BenchJson.round(pingP50Micros));
        ping.put("p99Micros", BenchJson.round(pingP99Micros));
        return BenchJson.render(root);
    }

    private static void side(ObjectNode n, Side s) {
        n.put("writeMiBps", BenchJson.round(s.writeMiBps()));
        n.put("readMiBps", BenchJson.round(s.readMiBps()));
        n.put("writeSeconds", BenchJson.round(s.writeSeconds()));
        n.put("readSeconds", BenchJson.round(s.readSeconds()));
    }
}
