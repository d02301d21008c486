package io.tierfs.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The outcome of {@link MetadataBench}: the harness's phases per node count and layout, the 3-node/1-node
 * efficiency per CPU-second, the floors with met / NOT met, and (with --mount) the mdtest-like phases through FUSE
 * against tmpfs. Rendered as a table for people and as JSON (Jackson, this record as it is) for scripts.
 *
 * @param setup       what was measured and where (clients, files, journal, machine)
 * @param harness     one entry per node count and layout, in the order run
 * @param efficiency  3 nodes against 1 node, phase by phase (empty unless both ran)
 * @param floors      every floor that the run could check
 * @param floorsMet   whether all of them are met
 * @param mount       through the mount against tmpfs (empty without --mount)
 */
public record MetadataBenchReport(Setup setup, List<HarnessRun> harness, List<Efficiency> efficiency,
                                  List<Floor> floors, boolean floorsMet, List<MountRun> mount) {

    public static final double FLOOR_CREATES = 30_000;
    public static final double FLOOR_STATS = 100_000;
    public static final double FLOOR_EFFICIENCY = 0.70;

    /** The conditions of the run. */
    public record Setup(String date, int cpus, String java, int commonPoolParallelism, int clients, int files,
                        int acrossRenames, int dirs, String journal, String stateDir, String stateFileSystem) {
    }

    /** The harness phases of one node count and layout. */
    public record HarnessRun(int nodes, String layout, List<PhaseResult> phases) {
        Optional<PhaseResult> phase(String name) {
            return phases.stream().filter(p -> p.phase().equals(name)).findFirst();
        }
    }

    /** Ops per CPU-second of one phase on 3 nodes divided by the same on 1 node. */
    public record Efficiency(String layout, String phase, double oneNodeOpsPerCpuSec, double threeNodesOpsPerCpuSec,
                             double ratio, double floor, boolean met) {
    }

    /** One floor: what, the measured value, the floor, and whether it is met. */
    public record Floor(String what, double measured, double floor, boolean met) {
    }

    /** The mdtest-like phases of one layout on the TierFS mount and on tmpfs, with TierFS/tmpfs per phase. */
    public record MountRun(String layout, List<PhaseResult> tierfs, List<PhaseResult> tmpfs, List<Double> ratios) {
        public static MountRun of(String layout, List<PhaseResult> tierfs, List<PhaseResult> tmpfs) {
            List<Double> r = new ArrayList<>();
            for (int i = 0; i < tierfs.size(); i++) {
                double base = tmpfs.get(i).opsPerSec();
                r.add(base == 0 ? 0 : tierfs.get(i).opsPerSec() / base);
            }
            return new MountRun(layout, tierfs, tmpfs, r);
        }
    }

    /** Builds the report: derives the efficiency rows and the floors from the harness runs. */
    public static MetadataBenchReport of(Setup setup, List<HarnessRun> harness, List<MountRun> mount) {
        List<Efficiency> eff = new ArrayList<>();
        List<Floor> floors = new ArrayList<>();
        for (HarnessRun one : harness) {
            if (one.nodes() != 1) {
                continue;
            }
            one.phase("create").ifPresent(p -> floors.add(new Floor("1 node, " + one.layout() + ": creates/s",
                    p.opsPerSec(), FLOOR_CREATES, p.opsPerSec() >= FLOOR_CREATES)));
            one.phase("stat").ifPresent(p -> floors.add(new Floor("1 node, " + one.layout() + ": stats/s",
                    p.opsPerSec(), FLOOR_STATS, p.opsPerSec() >= FLOOR_STATS)));
            for (HarnessRun three : harness) {
                if (three.nodes() != 3 || !three.layout().equals(one.layout())) {
                    continue;
                }
                for (PhaseResult p1 : one.phases()) {
                    three.phase(p1.phase()).ifPresent(p3 -> {
                        double ratio = p1.opsPerCpuSec() == 0 ? 0 : p3.opsPerCpuSec() / p1.opsPerCpuSec();
                        boolean met = ratio >= FLOOR_EFFICIENCY;
                        eff.add(new Efficiency(one.layout(), p1.phase(), p1.opsPerCpuSec(), p3.opsPerCpuSec(), ratio,
                                FLOOR_EFFICIENCY, met));
                        floors.add(new Floor("3 nodes / 1 node, " + one.layout() + ", " + p1.phase()
                                + ": ops per CPU-second", ratio, FLOOR_EFFICIENCY, met));
                    });
                }
            }
        }
        boolean allMet = floors.stream().allMatch(Floor::met);
        return new MetadataBenchReport(setup, harness, eff, floors, allMet, mount);
    }

    public String toJson() {
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the metadata benchmark report", e);
        }
    }

    public String toTable() {
        StringBuilder sb = new StringBuilder();
        Setup s = setup;
        sb.append(f("bench metadata, %s: Namespace API (no FUSE, no client cache), %d clients, %,d files per phase "
                        + "(%,d renames across dirs), many-dirs = %d directories%n", s.date(), s.clients(), s.files(),
                s.acrossRenames(), s.dirs()));
        sb.append(f("journal: %s; state %s (%s); %d CPUs, Java %s, common pool parallelism %d; CPU = this process "
                + "(all nodes, clients, GC)%n", s.journal(), s.stateDir(), s.stateFileSystem(), s.cpus(), s.java(),
                s.commonPoolParallelism()));
        sb.append(f("%n%-5s %-9s %-18s %10s %8s %8s %7s %5s %11s%n", "nodes", "layout", "phase", "ops/s", "p50 us",
                "p99 us", "CPU s", "cores", "ops/CPU-s"));
        for (HarnessRun r : harness) {
            for (PhaseResult p : r.phases()) {
                sb.append(f("%-5d %-9s %-18s %,10.0f %8.0f %8.0f %7.2f %5.2f %,11.0f%n", r.nodes(), r.layout(),
                        p.phase(), p.opsPerSec(), p.p50Micros(), p.p99Micros(), p.cpuSeconds(), p.coresBusy(),
                        p.opsPerCpuSec()));
            }
        }
        if (!efficiency.isEmpty()) {
            sb.append(f("%n3 nodes / 1 node, ops per CPU-second (floor %.2f)%n", FLOOR_EFFICIENCY));
            sb.append(f("%-9s %-18s %11s %11s %6s%n", "layout", "phase", "1 node", "3 nodes", "ratio"));
            for (Efficiency e : efficiency) {
                sb.append(f("%-9s %-18s %,11.0f %,11.0f %6.2f %s%n", e.layout(), e.phase(), e.oneNodeOpsPerCpuSec(),
                        e.threeNodesOpsPerCpuSec(), e.ratio(), e.met() ? "met" : "NOT met"));
            }
        }
        if (!mount.isEmpty()) {
            sb.append(f("%nthrough the mount (FUSE) against tmpfs, same run, %d clients, %,d files per phase%n",
                    s.clients(), s.files()));
            sb.append(f("%-9s %-8s %12s %8s %8s %11s %12s %7s%n", "layout", "phase", "TierFS ops/s", "p50 us", "p99 us",
                    "ops/CPU-s", "tmpfs ops/s", "ratio"));
            for (MountRun m : mount) {
                for (int i = 0; i < m.tierfs().size(); i++) {
                    PhaseResult t = m.tierfs().get(i);
                    sb.append(f("%-9s %-8s %,12.0f %8.0f %8.0f %,11.0f %,12.0f %7.3f%n", m.layout(), t.phase(),
                            t.opsPerSec(), t.p50Micros(), t.p99Micros(), t.opsPerCpuSec(),
                            m.tmpfs().get(i).opsPerSec(), m.ratios().get(i)));
                }
            }
        }
        if (!floors.isEmpty()) {
            sb.append(f("%nfloors (client cache off, journal on disk)%n"));
            int width = floors.stream().mapToInt(fl -> fl.what().length()).max().orElse(0);
            for (Floor fl : floors) {
                boolean ratio = fl.floor() < 10;
                sb.append(f(ratio ? "%-" + width + "s %10.2f >= %-8.2f %s%n" : "%-" + width + "s %,10.0f >= %,-8.0f %s%n",
                        fl.what(), fl.measured(), fl.floor(), fl.met() ? "met" : "NOT met"));
            }
        }
        return sb.toString();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
