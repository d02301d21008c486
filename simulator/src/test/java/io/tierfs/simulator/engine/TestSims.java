package io.tierfs.simulator.engine;

import io.tierfs.common.config.TierKind;
import io.tierfs.simulator.config.Baseline;
import io.tierfs.simulator.config.LenderJob;
import io.tierfs.simulator.config.LenderStep;
import io.tierfs.simulator.config.SimConfig;
import io.tierfs.simulator.config.TierConfig;
import io.tierfs.simulator.device.DeviceSpec;
import io.tierfs.simulator.report.RunResult;
import io.tierfs.simulator.trace.CsvTraceSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** Small hand-checkable configurations: devices of 1 byte per ns (or slower), no latency, one unit. */
public final class TestSims {
    private TestSims() {
    }

    public static DeviceSpec device(long bytesPerSecond) {
        return new DeviceSpec(bytesPerSecond, bytesPerSecond, 0, 1, 0);
    }

    public static TierConfig tier(String name, TierKind kind, int units, long cap, double high, double low, long bw) {
        return new TierConfig(name, kind, units, cap, high, low, false, device(bw));
    }

    public static SimConfig config(List<TierConfig> tiers, String promotion, long flushNanos, List<LenderStep> steps,
                                   List<LenderJob> jobs) {
        return new SimConfig(1, tiers, device(1_000_000_000L), flushNanos, 0, 1024, io.tierfs.simulator.config.VictimSpec.LRU, promotion, steps, jobs,
                null, Set.<Baseline>of());
    }

    public static RunResult runCsv(SimConfig cfg, String csv) {
        try (CsvTraceSource src = new CsvTraceSource(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "test.csv")) {
            return new Simulation(cfg, "test").run(src, ProgressListener.NONE);
        }
    }
}
