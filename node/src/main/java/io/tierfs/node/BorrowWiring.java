package io.tierfs.node;

import io.tierfs.borrow.LendSettings;
import io.tierfs.borrow.cluster.LenderCommand;
import io.tierfs.borrow.cluster.LenderView;
import io.tierfs.borrow.cluster.Lenders;
import io.tierfs.borrow.cluster.MemoryBorrow;
import io.tierfs.borrow.cluster.ReclaimResult;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.config.TierFsConfig;
import io.tierfs.common.config.TierKind;
import io.tierfs.common.config.TierSpec;
import io.tierfs.node.cluster.NodeSpec;
import io.tierfs.tier.engine.ChunkSpace;
import io.tierfs.tier.engine.TierEngine;
import io.tierfs.tier.net.DataPlaneSettings;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.typed.Cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Memory borrow on a cluster member, as its config says: a member with the {@code data} role lends its memory
 * ({@code tierfs.lend.enabled}); with {@code tierfs.borrow.enabled} its DRAM tier is lent memory of the cluster's
 * lenders (itself included) instead of a local /dev/shm directory. A single node does neither.
 */
final class BorrowWiring {
    private static final Duration ASK = Duration.ofSeconds(5);

    private final MemoryBorrow borrow;
    private final boolean lend;
    private final boolean borrows;
    private final String host;
    private final int port;
    private final LendSettings settings;
    private TierSpec lentTier;

    private BorrowWiring(MemoryBorrow borrow, boolean lend, boolean borrows, String host, int port,
                         LendSettings settings) {
        this.borrow = borrow;
        this.lend = lend;
        this.borrows = borrows;
        this.host = host;
        this.port = port;
        this.settings = settings;
    }

    /** The wiring for this member, or null when it neither lends nor borrows. */
    static BorrowWiring of(TierFsConfig config, NodeSpec spec, boolean clustered, ActorSystem<?> system) {
        if (!clustered || !spec.has("data")) {
            return null;
        }
        var raw = config.raw();
        var self = Cluster.get(system).selfMember().address();
        String id = Lenders.memberId(self);
        LendSettings settings = LendSettings.fromConfig(raw, id);
        boolean borrows = raw.hasPath("tierfs.borrow.enabled") && raw.getBoolean("tierfs.borrow.enabled");
        if (!settings.enabled() && !borrows) {
            return null;
        }
        int port = raw.hasPath("tierfs.dataplane.port") ? raw.getInt("tierfs.dataplane.port") : 0;
        String host = raw.hasPath("tierfs.dataplane.host") ? raw.getString("tierfs.dataplane.host") : self.host().get();
        MemoryBorrow mb = new MemoryBorrow(system, id, settings, DataPlaneSettings.fromConfig(raw));
        return new BorrowWiring(mb, settings.enabled(), borrows, host, port, settings);
    }

    MemoryBorrow memoryBorrow() {
        return borrow;
    }

    void startLender(Clock clock) {
        if (lend) {
            borrow.startLender(host, port, clock);
        }
    }

    /** The DRAM tier's space: lent memory when borrowing, else its directory. */
    ChunkSpace spaceFor(TierSpec spec) {
        if (borrows && spec.kind() == TierKind.DRAM && lentTier == null) {
            lentTier = spec;
            return borrow.space(spec.capacityBytes());
        }
        return TierEngine.localSpace(spec);
    }

    void startBorrower(TierEngine engine, Clock clock) {
        if (lentTier != null) {
            borrow.startBorrower(engine, engine.tierIndex(lentTier.name()), lentTier.capacityBytes(), clock);
        }
    }

    /** Graceful leave: borrowers give this node's memory back (within the recall deadline) before it goes. */
    void leave() {
        if (lend) {
            borrow.leave(settings.recallDeadline()).ifPresent(r -> org.slf4j.LoggerFactory.getLogger(BorrowWiring.class)
                    .info("leaving: {}", r.summary()));
        }
    }

    static ReclaimResult reclaim(ActorSystem<?> system, String node, Duration deadline) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw FsException.of(Errno.EINVAL, "the deadline must be positive, got %s", deadline);
        }
        ActorRef<LenderCommand> lender = Lenders.of(system, node, ASK);
        try {
            return AskPattern.<LenderCommand, ReclaimResult>ask(lender,
                    reply -> new LenderCommand.Reclaim(deadline, reply), deadline.plus(ASK), system.scheduler())
                    .toCompletableFuture().get(deadline.plus(ASK).toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw FsException.of(Errno.ETIMEDOUT, "reclaim of %s did not answer: %s", node, e.toString());
        }
    }

    static LenderView reopen(ActorSystem<?> system, String node) {
        ActorRef<LenderCommand> lender = Lenders.of(system, node, ASK);
        try {
            return AskPattern.<LenderCommand, LenderView>ask(lender, LenderCommand.Reopen::new, ASK, system.scheduler())
                    .toCompletableFuture().get(ASK.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw FsException.of(Errno.ETIMEDOUT, "reopen of %s did not answer: %s", node, e.toString());
        }
    }
}
