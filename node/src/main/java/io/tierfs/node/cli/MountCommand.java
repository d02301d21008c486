package io.tierfs.node.cli;

import io.tierfs.common.config.TierFsConfig;
import io.tierfs.common.config.TierSpec;
import io.tierfs.node.EmbeddedNode;
import io.tierfs.fuse.FuseMount;
import io.tierfs.node.LogSetup;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * `tierfs mount DIR`: starts the embedded node (all roles, one-node cluster), mounts, prints the tiers, and stays
 * in the foreground until Ctrl-C, SIGTERM or `tierfs umount DIR`, each of which unmounts cleanly.
 */
public final class MountCommand implements Command {
    @Override
    public String name() {
        return "mount";
    }

    @Override
    public String summary() {
        return "start the embedded node and mount TierFS on MOUNTPOINT (foreground)";
    }

    @Override
    public String usage() {
        return "tierfs mount MOUNTPOINT [--state DIR] [--config FILE]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, Set.of(StateOption.KEY, "--config"), Set.of());
        args.expectPositionals(1);
        Path mp = Path.of(args.positional(0, "MOUNTPOINT")).toAbsolutePath().normalize();
        FuseMount.checkMountPoint(mp);
        Path state = StateOption.resolve(args);
        String cfgFile = args.option("--config", null);
        TierFsConfig config = TierFsConfig.load(state, cfgFile == null ? null : Path.of(cfgFile));
        EmbeddedNode.prepare(config);
        // Only now, with the state directory known to be ours, may the log file be created in it.
        LogSetup.useDirectory(state.resolve("logs"));

        EmbeddedNode node = EmbeddedNode.start(config, Clock.systemUTC());
        Thread hook = new Thread(node::close, "tierfs-shutdown");
        try {
            node.mount(mp);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("TierFS mounted on %s (state %s, chunk size %s)%n", mp, state, Bytes.human(config.chunkSize()));
        Table t = new Table("TIER", "KIND", "CAPACITY", "HIGH/LOW", "PATH");
        for (TierSpec s : config.tiers()) {
            t.row(s.name(), s.kind(), Bytes.human(s.capacityBytes()),
                    Math.round(s.highWatermark() * 100) + "%/" + Math.round(s.lowWatermark() * 100) + "%", s.path());
        }
        t.print(out);
        out.println("Press Ctrl-C or run `tierfs umount " + mp + "` to unmount.");
        out.flush();
        node.awaitUnmounted();
        node.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting through the hook, which closes the node itself
        }
        out.println("TierFS unmounted from " + mp);
        return 0;
    }
}
