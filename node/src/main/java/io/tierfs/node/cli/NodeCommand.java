package io.tierfs.node.cli;

import io.tierfs.common.config.TierFsConfig;
import io.tierfs.fuse.FuseMount;
import io.tierfs.node.EmbeddedNode;
import io.tierfs.node.LogSetup;
import io.tierfs.node.cluster.MetadataMember;
import io.tierfs.node.cluster.NodeSpec;
import org.apache.pekko.cluster.typed.Cluster;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * `tierfs node --config FILE`: one member of a TierFS cluster, in the foreground until SIGTERM/Ctrl-C (or until
 * its mount goes away). The file gives the roles, mount point, ports, seed nodes and the journal's database
 * (README "a three-node cluster on one machine"; docs/configuration.md).
 */
public final class NodeCommand implements Command {
    @Override
    public String name() {
        return "node";
    }

    @Override
    public String summary() {
        return "run one member of a TierFS cluster (roles, seeds, journal from --config)";
    }

    @Override
    public String usage() {
        return "tierfs node --config FILE [--state DIR]\n"
                + "       tierfs node reclaim NODE [--deadline 30s] [--state DIR] [--json]   (recall the memory NODE lends)\n"
                + "       tierfs node reopen NODE [--state DIR]                              (let NODE lend again)";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        if (!argv.isEmpty() && ReclaimCommand.handles(argv.get(0))) {
            return new ReclaimCommand().run(argv, out, err);
        }
        Args args = Args.parse(argv, Set.of(StateOption.KEY, "--config"), Set.of());
        args.expectPositionals(0);
        String cfgFile = args.option("--config", null);
        if (cfgFile == null) {
            throw new Args.UsageException("--config FILE is required");
        }
        TierFsConfig probe = TierFsConfig.load(Path.of("/nonexistent-state"), Path.of(cfgFile));
        NodeSpec spec = NodeSpec.of(probe.raw());
        Path state = args.option(StateOption.KEY, null) != null || spec.state().isEmpty()
                ? StateOption.resolve(args) : spec.state().get().toAbsolutePath().normalize();
        TierFsConfig config = TierFsConfig.load(state, Path.of(cfgFile));
        if (spec.mount().isPresent()) {
            FuseMount.checkMountPoint(spec.mount().get().toAbsolutePath().normalize());
        }
        return spec.has("data") ? runDataNode(config, spec, state, out) : runMetadataOnly(config, spec, state, out);
    }

    private int runDataNode(TierFsConfig config, NodeSpec spec, Path state, PrintStream out) throws Exception {
        EmbeddedNode.prepare(config);
        LogSetup.useDirectory(state.resolve("logs"));
        EmbeddedNode node = EmbeddedNode.start(config, Clock.systemUTC(), spec);
        Thread hook = new Thread(node::close, "tierfs-shutdown");
        try {
            spec.mount().ifPresent(mp -> node.mount(mp.toAbsolutePath().normalize()));
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("TierFS node %s up: roles %s, gateway 127.0.0.1:%d, state %s%s%n",
                Cluster.get(node.metadataSystem()).selfMember().address(), spec.roles(), node.gatewayPort(), state,
                spec.mount().map(m -> ", mounted on " + m).orElse(""));
        out.flush();
        node.awaitUnmounted();
        node.close();
        removeHook(hook);
        out.println("TierFS node stopped");
        return 0;
    }

    private int runMetadataOnly(TierFsConfig config, NodeSpec spec, Path state, PrintStream out) throws Exception {
        LogSetup.useDirectory(state.resolve("logs"));
        MetadataMember member = MetadataMember.start(state, spec, config.raw(), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            member.close();
            stopped.countDown();
        }, "tierfs-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("TierFS node %s up: roles %s, state %s%n",
                Cluster.get(member.metadata().system()).selfMember().address(), spec.roles(), state);
        out.flush();
        stopped.await();
        return 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting through the hook, which closes the node itself
        }
    }
}
