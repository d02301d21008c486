package io.tierfs.simulator.cli;

import io.tierfs.common.config.ConfigException;
import io.tierfs.simulator.config.SimConfig;
import io.tierfs.simulator.config.SimConfigLoader;
import io.tierfs.simulator.config.WorkloadSpec;
import io.tierfs.simulator.engine.SimRunner;
import io.tierfs.simulator.report.Json;
import io.tierfs.simulator.report.ReportWriter;
import io.tierfs.simulator.report.SimReport;
import io.tierfs.simulator.report.SummaryTable;
import io.tierfs.simulator.trace.TraceFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code tierfs sim}: runs a simulation (sim.conf's workload, or a trace) with its baselines, prints the summary
 * table and writes the report directory. Exit 0 on success, 1 on bad input (config, trace), 2 on a bad command
 * line. The progress bar goes to stderr only on a terminal or with --progress.
 */
public final class SimCommandLine {
    public static final String USAGE = "tierfs sim [--config sim.conf] [--out DIR] [--trace FILE --format csv|echofs] "
            + "[--seed N] [--progress|--no-progress] [--json]";

    private SimCommandLine() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            return runOrThrow(args, out, err);
        } catch (UsageException e) {
            err.println("tierfs sim: " + e.getMessage() + " (usage: " + USAGE + ")");
            return 2;
        } catch (ConfigException | TraceFormatException | UncheckedIOException | IllegalArgumentException e) {
            err.println("tierfs sim: " + e.getMessage());
            return 1;
        }
    }

    private static int runOrThrow(List<String> args, PrintStream out, PrintStream err) {
        Path config = null;
        Path outDir = Path.of("sim-report");
        Path trace = null;
        String format = null;
        Long seed = null;
        Boolean progress = null;
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--config" -> config = Path.of(value(args, ++i, a));
                case "--out" -> outDir = Path.of(value(args, ++i, a));
                case "--trace" -> trace = Path.of(value(args, ++i, a));
                case "--format" -> format = value(args, ++i, a);
                case "--seed" -> seed = parseSeed(value(args, ++i, a));
                case "--progress" -> progress = true;
                case "--no-progress" -> progress = false;
                case "--json" -> json = true;
                case "--help", "-h" -> {
                    out.println("usage: " + USAGE);
                    return 0;
                }
                default -> throw new UsageException(a.startsWith("-") ? "unknown option " + a : "unexpected argument '" + a + "'");
            }
        }
        if (format != null && trace == null) {
            throw new UsageException("--format needs --trace");
        }
        SimConfig cfg = config != null ? SimConfigLoader.load(config) : SimConfigLoader.parse(defaultConfig());
        if (trace != null) {
            if (!Files.isRegularFile(trace)) {
                throw new IllegalArgumentException("trace " + trace + " does not exist");
            }
            WorkloadSpec.TraceFormat f = format != null ? WorkloadSpec.TraceFormat.parse(format)
                    : trace.toString().endsWith(".log") ? WorkloadSpec.TraceFormat.ECHOFS : WorkloadSpec.TraceFormat.CSV;
            cfg = cfg.withWorkload(new WorkloadSpec.Trace(trace, f));
        }
        if (seed != null) {
            cfg = cfg.withSeed(seed);
        }
        boolean showProgress = progress != null ? progress : System.console() != null;
        ProgressBar bar = showProgress ? new ProgressBar(err) : null;
        SimReport report;
        try {
            Files.createDirectories(outDir);
            report = SimRunner.run(cfg, outDir, bar != null ? bar : SimRunner.Progress.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + outDir + ": " + e.getMessage(), e);
        } finally {
            if (bar != null) {
                bar.done();
            }
        }
        ReportWriter.write(report, outDir);
        if (json) {
            out.print(Json.write(report));
        } else {
            out.println(report.workload());
            out.println();
            out.print(SummaryTable.text(report));
            out.println();
            out.println("report: " + outDir.resolve("index.html"));
        }
        return 0;
    }

    private static long parseSeed(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new UsageException("--seed needs an integer, got '" + s + "'");
        }
    }

    static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new UsageException("option " + option + " needs a value");
        }
        return args.get(i);
    }

    /** The sample configuration shipped in the jar (samples/sim.conf), used without --config. */
    static String defaultConfig() {
        try (InputStream in = SimCommandLine.class.getResourceAsStream("/samples/sim.conf")) {
            if (in == null) {
                throw new IllegalStateException("samples/sim.conf missing from the simulator jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
