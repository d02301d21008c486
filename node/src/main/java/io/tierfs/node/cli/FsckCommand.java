package io.tierfs.node.cli;

import io.tierfs.common.config.TierFsConfig;
import io.tierfs.node.LogSetup;
import io.tierfs.node.StateDir;
import io.tierfs.node.fsck.Fsck;
import io.tierfs.node.fsck.FsckProgress;
import io.tierfs.node.fsck.FsckReport;
import io.tierfs.node.fsck.OfflineNode;
import io.tierfs.node.fsck.ReportJson;
import io.tierfs.node.fsck.ReportText;
import io.tierfs.node.fsck.TerminalProgress;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * `tierfs fsck`: checks (and with --repair, repairs) the namespace and the data against it, on the state
 * directory of a stopped node. Exit 0 clean, 1 problems found (or the check could not run), 2 usage.
 */
public final class FsckCommand implements Command {
    @Override
    public String name() {
        return "fsck";
    }

    @Override
    public String summary() {
        return "check (--repair: fix) the namespace and its data on a stopped node's state";
    }

    @Override
    public String usage() {
        return "tierfs fsck [--state DIR] [--config FILE] [--repair] [--json]   (the node must be stopped)";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args = Args.parse(argv, Set.of(StateOption.KEY, "--config"), Set.of("--repair", "--json"));
        args.expectPositionals(0);
        Path state = StateOption.resolve(args);
        String cfgFile = args.option("--config", null);
        TierFsConfig config = TierFsConfig.load(state, cfgFile == null ? null : Path.of(cfgFile));
        boolean json = args.flag("--json");
        long t0 = System.nanoTime();
        StateDir lock = OfflineNode.lock(config);
        // only with the lock held may the log file be opened in the state directory (a running node writes it)
        LogSetup.useDirectory(state.resolve("logs"));
        FsckReport report;
        try (OfflineNode node = OfflineNode.start(config, lock, Clock.systemUTC())) {
            FsckProgress progress = json ? FsckProgress.NONE : TerminalProgress.onTerminal();
            report = Fsck.run(node, args.flag("--repair"), progress, Clock.systemUTC());
        }
        long totalMillis = (System.nanoTime() - t0) / 1_000_000;
        if (json) {
            out.println(ReportJson.render(report, state, totalMillis));
        } else {
            ReportText.print(report, totalMillis, out);
        }
        return report.exitCode();
    }
}
