package io.tierfs.borrow.cluster;

import io.tierfs.borrow.evacuate.Evacuation;
import io.tierfs.borrow.evacuate.EvacuationResult;
import io.tierfs.borrow.lender.ReleaseStats;
import io.tierfs.borrow.lent.LentSpace;
import io.tierfs.borrow.lent.SlotState;
import io.tierfs.tier.engine.TierEngine;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The borrow manager of one node: finds lenders through the receptionist, asks them for leases until the DRAM tier
 * has its configured size, hands the leases to the {@link LentSpace} (so new DRAM chunks go only where a lease has
 * room), and answers recalls by evacuating the lender ({@link Evacuation}, on a blocking executor) and giving the
 * leases back with what it did. A lender that disappears (crash) is marked down at once: its clean chunks are read
 * from their durable copies, replicas take over; an evacuation then drops what can be dropped.
 */
public final class BorrowerActor extends AbstractBehavior<BorrowerCommand> {
    /** How long the evacuation of a lender that vanished may run per attempt. */
    private static final Duration LOST_LENDER_EVACUATION = Duration.ofSeconds(30);

    private final String node;
    private final LentSpace space;
    private final Evacuation evacuation;
    private final TierEngine engine;
    private final int lentTier;
    private final long wantBytes;
    private final long leaseSize;
    private final Executor blocking;
    private final Clock clock;
    private final Map<ActorRef<LenderCommand>, String> names = new HashMap<>();
    private final Map<String, ActorRef<LenderCommand>> lenders = new TreeMap<>();
    private final Set<ActorRef<LenderCommand>> listed = new HashSet<>();
    /** Leases held per lender: lease id -> bytes. */
    private final Map<String, Map<Long, Long>> leases = new HashMap<>();
    /** Lenders being recalled: lease ids recalled, earliest deadline. */
    private final Map<String, Instant> recallDeadlines = new HashMap<>();
    private final Set<String> evacuating = new HashSet<>();
    private final Set<String> lost = new HashSet<>();

    public static Behavior<BorrowerCommand> create(String node, LentSpace space, Evacuation evacuation,
                                                   TierEngine engine, int lentTier, long wantBytes, long leaseSize,
                                                   Duration tick, Executor blocking, Clock clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(BorrowerCommand.Tick.INSTANCE, tick);
            return new BorrowerActor(ctx, node, space, evacuation, engine, lentTier, wantBytes, leaseSize, blocking,
                    clock);
        }));
    }

    private BorrowerActor(ActorContext<BorrowerCommand> ctx, String node, LentSpace space, Evacuation evacuation,
                          TierEngine engine, int lentTier, long wantBytes, long leaseSize, Executor blocking,
                          Clock clock) {
        super(ctx);
        this.node = node;
        this.space = space;
        this.evacuation = evacuation;
        this.engine = engine;
        this.lentTier = lentTier;
        this.wantBytes = wantBytes;
        this.leaseSize = leaseSize;
        this.blocking = blocking;
        this.clock = clock;
        ActorRef<Receptionist.Listing> adapter = ctx.messageAdapter(Receptionist.Listing.class,
                BorrowerCommand.LendersChanged::new);
        ctx.getSystem().receptionist().tell(Receptionist.subscribe(LenderActor.KEY, adapter));
    }

    @Override
    public Receive<BorrowerCommand> createReceive() {
        return newReceiveBuilder()
                .onMessage(BorrowerCommand.LendersChanged.class, this::onListing)
                .onMessage(BorrowerCommand.LeaseGranted.class, this::onGranted)
                .onMessage(BorrowerCommand.LeaseRefused.class, r -> {
                    getContext().getLog().debug("borrower {}: {} lends nothing now: {}", node, r.lender(), r.reason());
                    return this;
                })
                .onMessage(BorrowerCommand.Recall.class, this::onRecall)
                .onMessage(BorrowerCommand.Evacuated.class, this::onEvacuated)
                .onMessageEquals(BorrowerCommand.Tick.INSTANCE, this::onTick)
                .build();
    }

    private Behavior<BorrowerCommand> onListing(BorrowerCommand.LendersChanged c) {
        Set<ActorRef<LenderCommand>> now = c.listing().getServiceInstances(LenderActor.KEY);
        for (ActorRef<LenderCommand> ref : now) {
            if (listed.add(ref)) {
                ref.tell(new LenderCommand.RequestLease(node, share(), getContext().getSelf()));
            }
        }
        for (ActorRef<LenderCommand> ref : List.copyOf(listed)) {
            if (!now.contains(ref)) {
                listed.remove(ref);
                String name = names.remove(ref);
                if (name != null) {
                    lenderLost(name);
                }
            }
        }
        return this;
    }

    private void lenderLost(String lender) {
        lenders.remove(lender);
        leases.remove(lender);
        recallDeadlines.remove(lender);
        lost.add(lender);
        space.lenderDown(lender);
        getContext().getLog().warn("borrower {}: lender {} left the cluster; falling back to durable copies and "
                + "replicas of what it held", node, lender);
        evacuate(lender, clock.instant().plus(LOST_LENDER_EVACUATION));
    }

    /** What to ask a new lender for: an even share of what the DRAM tier still lacks. */
    private long share() {
        long have = 0;
        for (Map<Long, Long> m : leases.values()) {
            for (long b : m.values()) {
                have += b;
            }
        }
        long missing = Math.max(0, wantBytes - have);
        int n = Math.max(1, listed.size());
        return Math.max(leaseSize, missing / n);
    }

    private long held(String lender) {
        long sum = 0;
        for (long b : leases.getOrDefault(lender, Map.of()).values()) {
            sum += b;
        }
        return sum;
    }

    private Behavior<BorrowerCommand> onGranted(BorrowerCommand.LeaseGranted g) {
        names.put(g.lenderRef(), g.lender());
        lenders.put(g.lender(), g.lenderRef());
        lost.remove(g.lender());
        leases.computeIfAbsent(g.lender(), k -> new HashMap<>()).put(g.leaseId(), g.bytes());
        try {
            space.leaseGranted(g.lender(), new InetSocketAddress(g.host(), g.port()), held(g.lender()));
        } catch (RuntimeException e) {
            getContext().getLog().error("borrower {}: cannot use the lease of {}: {}", node, g.lender(), e.toString());
        }
        getContext().getLog().info("borrower {}: lease {} of {} B on {} (now {} B there)", node, g.leaseId(),
                g.bytes(), g.lender(), held(g.lender()));
        return this;
    }

    private Behavior<BorrowerCommand> onRecall(BorrowerCommand.Recall r) {
        Instant deadline = Instant.ofEpochMilli(r.deadlineEpochMillis());
        recallDeadlines.merge(r.lender(), deadline, (a, b) -> a.isBefore(b) ? a : b);
        getContext().getLog().info("borrower {}: {} recalls lease {} ({}), deadline {}", node, r.lender(),
                r.leaseId(), r.reason(), deadline);
        space.drain(r.lender());
        if (!evacuating.contains(r.lender())) {
            evacuate(r.lender(), recallDeadlines.get(r.lender()));
        }
        return this;
    }

    private void evacuate(String lender, Instant deadline) {
        evacuating.add(lender);
        Instant finishBy = reportMargin(deadline);
        List<Long> ids = new ArrayList<>(leases.getOrDefault(lender, Map.of()).keySet());
        boolean probe = !lost.contains(lender) && !recallDeadlines.containsKey(lender);
        getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> probe && space.probe(lender)
                        ? new EvacuationResult(lender, Duration.ZERO, 0, 0, 0, 0, 0, 0, 0, "")
                        : evacuation.run(lender, finishBy), blocking),
                (res, err) -> new BorrowerCommand.Evacuated(lender, ids, res != null ? res
                        : new EvacuationResult(lender, Duration.ZERO, 0, 0, 0, 0, 0, space.chunksOn(lender).size(),
                        0, String.valueOf(err))));
    }

    /**
     * When the evacuation must stop so that its report (done, or stuck and why) reaches the lender before the
     * lender's deadline: a tenth of the time left, between 200 ms and 2 s, before it.
     */
    private Instant reportMargin(Instant deadline) {
        long left = Duration.between(clock.instant(), deadline).toMillis();
        long margin = Math.max(200, Math.min(2000, left / 10));
        return left > 2 * margin ? deadline.minusMillis(margin) : deadline;
    }

    private Behavior<BorrowerCommand> onEvacuated(BorrowerCommand.Evacuated e) {
        evacuating.remove(e.lender());
        EvacuationResult r = e.result();
        ActorRef<LenderCommand> ref = lenders.get(e.lender());
        if (lost.contains(e.lender())) {
            if (!r.complete()) {
                getContext().getLog().warn("borrower {}: lender {} is gone: {}", node, e.lender(), r.summary());
            }
            return this;
        }
        if (!recallDeadlines.containsKey(e.lender())) {
            return this;
        }
        if (r.complete()) {
            ReleaseStats stats = new ReleaseStats(r.droppedCleanBytes(), r.flushedBytes(), 0, 0, r.chunks(), 0);
            Map<Long, Long> held = leases.remove(e.lender());
            if (ref != null && held != null) {
                boolean first = true;
                for (Long id : held.keySet()) {
                    ref.tell(new LenderCommand.ReleaseLease(node, id, first ? stats : ReleaseStats.EMPTY));
                    first = false;
                }
            }
            recallDeadlines.remove(e.lender());
            space.removeLender(e.lender());
            getContext().getLog().info("borrower {}: gave back {}: {}", node, e.lender(), r.summary());
        } else if (ref != null) {
            for (Long id : leases.getOrDefault(e.lender(), Map.of()).keySet()) {
                ref.tell(new LenderCommand.RecallStuck(node, id, r.problem(), r.remainingBytes()));
            }
        }
        return this;
    }

    private Behavior<BorrowerCommand> onTick() {
        Map<String, Long> dirty = engine.dirtyBytesByNode(lentTier);
        Map<String, Long> used = new HashMap<>();
        for (LentSpace.LenderUse u : space.lenders()) {
            used.put(u.lender(), u.usedBytes());
        }
        long have = 0;
        for (String l : leases.keySet()) {
            have += held(l);
        }
        for (Map.Entry<String, ActorRef<LenderCommand>> e : lenders.entrySet()) {
            String l = e.getKey();
            e.getValue().tell(new LenderCommand.Usage(node, used.getOrDefault(l, 0L), dirty.getOrDefault(l, 0L)));
            boolean recalling = recallDeadlines.containsKey(l);
            if (recalling && !evacuating.contains(l)) {
                evacuate(l, clock.instant().isBefore(recallDeadlines.get(l)) ? recallDeadlines.get(l)
                        : clock.instant().plusSeconds(5)); // past the deadline: keep trying, lose nothing
            }
        }
        if (have < wantBytes) {
            for (ActorRef<LenderCommand> ref : listed) {
                String name = names.get(ref);
                if (name != null && (recallDeadlines.containsKey(name) || evacuating.contains(name))) {
                    continue;
                }
                ref.tell(new LenderCommand.RequestLease(node, share(), getContext().getSelf()));
            }
        }
        for (LentSpace.LenderUse u : space.lenders()) {
            if (u.state() == SlotState.DOWN && !lost.contains(u.lender()) && !evacuating.contains(u.lender())) {
                // the data plane found it unreachable while it is still listed: revive it if it answers again,
                // else drop what can be dropped
                evacuate(u.lender(), clock.instant().plus(LOST_LENDER_EVACUATION));
            }
        }
        return this;
    }
}
