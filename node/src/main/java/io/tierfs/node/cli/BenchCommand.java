package io.tierfs.node.cli;

import io.tierfs.bench.IoBench;
import io.tierfs.bench.IoBenchOptions;
import io.tierfs.bench.MetadataBench;
import io.tierfs.bench.MetadataBenchOptions;
import io.tierfs.simulator.bench.SimBench;

import java.io.PrintStream;
import java.util.List;

/** `tierfs bench KIND ...`: the benchmark harnesses, each against a baseline measured in the same run. */
public final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "benchmarks against a baseline in the same run (io: throughput and metadata rates vs tmpfs; "
                + "metadata: namespace rates on 1 and 3 nodes, per CPU-second; sim: simulator requests/s vs trace parsing; "
                + "dataplane: remote chunk I/O over loopback vs local chunk I/O; "
                + "recall: giving back lent memory vs writing its dirty bytes to the SSD directory; "
                + "shared: N processes writing one shared file vs one file each, through the mounts; "
                + "rtt: what one request and answer between two endpoints costs, TCP and Pekko Artery)";
    }

    @Override
    public String usage() {
        return "tierfs " + IoBenchOptions.usage() + " | " + MetadataBenchOptions.USAGE + " | " + SimBench.USAGE + " | "
                + io.tierfs.bench.DataPlaneBench.USAGE + " | " + io.tierfs.bench.RecallBench.USAGE + " | " + io.tierfs.bench.SharedBench.USAGE + " | " + io.tierfs.bench.RttBench.USAGE;
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        if (argv.isEmpty()) {
            throw new Args.UsageException("missing benchmark kind");
        }
        String kind = argv.get(0);
        if (kind.equals("mover")) {
            return io.tierfs.bench.MoverBench.run(argv.subList(1, argv.size()), out, err);
        }
        if (kind.equals("metadata")) {
            return MetadataBench.run(argv.subList(1, argv.size()), out, err);
        }
        if (kind.equals("dataplane")) {
            return io.tierfs.bench.DataPlaneBench.run(argv.subList(1, argv.size()), out, err);
        }
        if (kind.equals("recall")) {
            return io.tierfs.bench.RecallBench.run(argv.subList(1, argv.size()), out, err);
        }
        if (kind.equals("shared")) {
            return io.tierfs.bench.SharedBench.run(argv.subList(1, argv.size()), out, err);
        }
        if (kind.equals("rtt")) {
            return io.tierfs.bench.RttBench.run(argv.subList(1, argv.size()), out, err);
        }
        if (kind.equals("sim")) {
            return SimBench.run(argv.subList(1, argv.size()), out, err);
        }
        if (!kind.equals("io")) {
            throw new Args.UsageException("unknown benchmark '" + kind + "' (known: dataplane, io, metadata, mover, recall, rtt, shared, sim)");
        }
        IoBenchOptions.Parsed p = IoBenchOptions.parse(argv.subList(1, argv.size()));
        IoBench.run(p.target(), p.options().baseline().orElse(null), p.options(), out);
        return 0;
    }
}
