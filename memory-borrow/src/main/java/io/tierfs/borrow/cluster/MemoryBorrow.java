package io.tierfs.borrow.cluster;

import io.tierfs.borrow.LendSettings;
import io.tierfs.borrow.MemorySource;
import io.tierfs.borrow.MeminfoFile;
import io.tierfs.borrow.evacuate.Evacuation;
import io.tierfs.borrow.lent.LentSpace;
import io.tierfs.tier.engine.TierEngine;
import io.tierfs.tier.net.ChunkClient;
import io.tierfs.tier.net.ChunkServer;
import io.tierfs.tier.net.DataPlaneSettings;
import io.tierfs.tier.net.DirectoryChunkRepository;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Memory borrow on one cluster member, assembled: the lender half (chunk repository under the lend directory,
 * the data-plane chunk server, the {@link LenderActor}) and the borrower half (a {@link LentSpace} as the DRAM tier,
 * the {@link BorrowerActor}). The lent space must exist before the tier engine is opened (it is the DRAM tier's
 * chunk space), the borrower actor after (it evacuates through the engine): hence {@link #space} first, then
 * {@link #startBorrower}.
 */
public final class MemoryBorrow implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemoryBorrow.class);

    private final ActorSystem<?> system;
    private final String node;
    private final LendSettings settings;
    private final ChunkClient client;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private ChunkServer server;
    private ActorRef<LenderCommand> lender;
    private LentSpace space;
    private ActorRef<BorrowerCommand> borrower;
    private ExecutorService blocking;
    private final LenderGauges gauges = new LenderGauges();

    public MemoryBorrow(ActorSystem<?> system, String node, LendSettings settings, DataPlaneSettings dataPlane) {
        this.system = system;
        this.node = node;
        this.settings = settings;
        this.client = new ChunkClient(dataPlane);
        closeables.add(client);
    }

    /** Starts lending: this node's memory under {@code settings.dir()}, served at host:port (0 = any port). */
    public MemoryBorrow startLender(String host, int port, Clock clock) {
        return startLender(host, port, new MeminfoFile(settings.meminfo()), clock);
    }

    /** As above with an explicit memory source (tests drive pressure with it). */
    public MemoryBorrow startLender(String host, int port, MemorySource memory, Clock clock) {
        LeaseQuota quota = new LeaseQuota();
        DirectoryChunkRepository repo = new DirectoryChunkRepository(settings.dir(), quota);
        quota.repository(repo);
        server = new ChunkServer(repo, host, port);
        closeables.add(server);
        lender = system.systemActorOf(
                LenderActor.create(node, settings, memory, repo, quota, server.address(), clock, gauges),
                "tierfs-lender", Props.empty());
        log.info("lending memory of {} under {} (data plane {})", node, settings.dir(), server.address());
        return this;
    }

    /** The DRAM tier's chunk space for a node that borrows up to {@code maxBytes}. */
    public LentSpace space(long maxBytes) {
        space = new LentSpace(node, maxBytes, client, settings.replicas());
        return space;
    }

    /** Starts asking lenders for leases for {@code engine}'s tier {@code lentTier} (the one {@link #space} backs). */
    public MemoryBorrow startBorrower(TierEngine engine, int lentTier, long wantBytes, Clock clock) {
        if (space == null) {
            throw new IllegalStateException("space() before startBorrower()");
        }
        blocking = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "tierfs-evacuation");
            t.setDaemon(true);
            return t;
        });
        Evacuation evacuation = new Evacuation(engine, space, lentTier, clock, settings.recallMovers());
        borrower = system.systemActorOf(BorrowerActor.create(node, space, evacuation, engine, lentTier, wantBytes,
                settings.leaseSizeBytes(), settings.pollInterval(), blocking, clock), "tierfs-borrower", Props.empty());
        return this;
    }

    public Optional<ActorRef<LenderCommand>> lender() {
        return Optional.ofNullable(lender);
    }

    /** The lender's published view and recalls (for metrics); empty values while this node does not lend. */
    public LenderGauges gauges() {
        return gauges;
    }

    public Optional<LentSpace> lentSpace() {
        return Optional.ofNullable(space);
    }

    public String node() {
        return node;
    }

    /** Recalls everything lent here before the node leaves (graceful leave), waiting at most {@code deadline}. */
    public Optional<ReclaimResult> leave(Duration deadline) {
        if (lender == null) {
            return Optional.empty();
        }
        CompletionStage<ReclaimResult> r = AskPattern.ask(lender, reply -> new LenderCommand.Leave(deadline, reply),
                deadline.plusSeconds(5), system.scheduler());
        try {
            return Optional.of(r.toCompletableFuture().get());
        } catch (Exception e) {
            log.warn("leave: recall of the memory lent by {} did not answer: {}", node, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (blocking != null) {
            blocking.shutdownNow();
        }
        Collections.reverse(closeables);
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {}: {}", c, e.toString());
            }
        }
        if (server != null) {
            removeIfEmpty(settings.dir());
        }
    }

    /**
     * Removes the lend directory after a clean stop if borrowers left nothing in it (a graceful leave recalls all).
     * Chunk files that are still there are kept: a borrower that could not place them may reach them again if this
     * node comes back before its failure detector gives up.
     */
    private static void removeIfEmpty(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            if (all.stream().anyMatch(Files::isRegularFile)) {
                log.info("lend directory {} still holds chunks; kept", dir);
                return;
            }
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("cannot remove the empty lend directory {}: {}", dir, e.toString());
        }
    }
}
