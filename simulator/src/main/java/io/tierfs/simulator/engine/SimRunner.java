package io.tierfs.simulator.engine;

import io.tierfs.common.config.TierKind;
import io.tierfs.simulator.baseline.Belady;
import io.tierfs.simulator.baseline.BeladyResult;
import io.tierfs.simulator.config.Baseline;
import io.tierfs.simulator.config.SimConfig;
import io.tierfs.simulator.config.TierConfig;
import io.tierfs.simulator.report.RunResult;
import io.tierfs.simulator.report.SimReport;
import io.tierfs.simulator.workload.RequestSource;
import io.tierfs.simulator.workload.Workloads;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the configured tiers and the baselines on the same workload (each run reads its own fresh stream). */
public final class SimRunner {

    /** Where a run is, for a progress bar: the step's label, its number, the number of steps, its fraction. */
    @FunctionalInterface
    public interface Progress {
        void update(String label, int step, int steps, double fraction);

        Progress NONE = (l, s, n, f) -> { };
    }

    private SimRunner() {
    }

    public static SimReport run(SimConfig cfg, Path tmpDir, Progress progress) {
        List<String> labels = new ArrayList<>();
        List<List<TierConfig>> setups = new ArrayList<>();
        labels.add("tiered");
        setups.add(cfg.tiers());
        TierConfig hdd = cfg.tiers().get(cfg.tiers().size() - 1);
        TierConfig ssd = cfg.tiers().stream().filter(t -> t.kind() == TierKind.SSD).findFirst().orElse(null);
        if (cfg.baselines().contains(Baseline.HDD_ONLY) && cfg.tiers().size() > 1) {
            labels.add("hdd-only");
            setups.add(List.of(hdd));
        }
        if (cfg.baselines().contains(Baseline.SSD_HDD) && ssd != null && ssd != hdd
                && !(cfg.tiers().size() == 2 && cfg.tiers().get(0) == ssd)) {
            labels.add("ssd-hdd");
            setups.add(List.of(ssd, hdd));
        }
        boolean belady = cfg.baselines().contains(Baseline.BELADY) && cfg.tiers().size() > 1;
        int steps = setups.size() + (belady ? 1 : 0);
        List<RunResult> runs = new ArrayList<>();
        for (int i = 0; i < setups.size(); i++) {
            int step = i + 1;
            String label = labels.get(i);
            SimConfig c = i == 0 ? cfg : cfg.withTiers(setups.get(i));
            try (RequestSource src = Workloads.open(cfg.workload(), cfg.seed())) {
                runs.add(new Simulation(c, label).run(src, f -> progress.update(label, step, steps, f)));
            }
        }
        BeladyResult b = null;
        if (belady) {
            try (RequestSource src = Workloads.open(cfg.workload(), cfg.seed())) {
                progress.update("belady", steps, steps, 0);
                b = Belady.run(src, cfg.tiers().get(0).capacity(), tmpDir);
                progress.update("belady", steps, steps, 1);
            }
        }
        return new SimReport(Workloads.describe(cfg.workload()), cfg.seed(), List.copyOf(runs), b);
    }
}
