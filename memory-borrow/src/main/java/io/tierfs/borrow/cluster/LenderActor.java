package io.tierfs.borrow.cluster;

import io.tierfs.borrow.LendSettings;
import io.tierfs.borrow.MemorySource;
import io.tierfs.borrow.ShmUsage;
import io.tierfs.borrow.lender.Lease;
import io.tierfs.borrow.lender.LeaseLedger;
import io.tierfs.borrow.lender.LenderStatus;
import io.tierfs.borrow.lender.Offer;
import io.tierfs.borrow.lender.OfferPolicy;
import io.tierfs.borrow.lender.RecallOrder;
import io.tierfs.borrow.lender.RecallReason;
import io.tierfs.borrow.lender.RecallReport;
import io.tierfs.borrow.lender.UnknownLeaseException;
import io.tierfs.tier.net.ChunkRepository;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lender agent of one node (DESIGN.md "Memory borrow and return"): reads the memory source every poll interval,
 * offers what lies above the reserve up to the cap, grants leases to borrowers, and recalls them when its own
 * jobs need the memory (pressure), when an operator asks ({@link LenderCommand.Reclaim}) or when the node leaves.
 * The bytes themselves are served by the node's chunk server over the data plane; this actor only decides who may
 * store how much ({@link LeaseQuota}). Registered with the receptionist under {@link #KEY}, so borrowers find it.
 */
public final class LenderActor extends AbstractBehavior<LenderCommand> {
    public static final ServiceKey<LenderCommand> KEY = ServiceKey.create(LenderCommand.class, "tierfs-lenders");

    private final String node;
    private final LendSettings settings;
    private final MemorySource memory;
    private final ChunkRepository repo;
    private final LeaseQuota quota;
    private final InetSocketAddress dataAddress;
    private final Clock clock;
    private final LeaseLedger ledger;
    private final OfferPolicy offers;
    private final TimerScheduler<LenderCommand> timers;
    private final LenderGauges gauges;
    private final Map<String, ActorRef<BorrowerCommand>> borrowers = new HashMap<>();
    private final Map<String, Long> dirtyByBorrower = new HashMap<>();
    private final Map<Long, PendingReclaim> reclaims = new HashMap<>();
    private final Set<Long> warnedOverdue = new HashSet<>();
    private long lastMemAvailable;
    private long nextReclaimId = 1;

    private static final class PendingReclaim {
        final ActorRef<ReclaimResult> replyTo;
        final long startNanos;
        final Duration deadline;
        final Set<Long> leases;
        final List<String> details = new ArrayList<>();
        long released;

        PendingReclaim(ActorRef<ReclaimResult> replyTo, Duration deadline, Set<Long> leases) {
            this.replyTo = replyTo;
            this.startNanos = System.nanoTime();
            this.deadline = deadline;
            this.leases = leases;
        }
    }

    public static Behavior<LenderCommand> create(String node, LendSettings settings, MemorySource memory,
                                                 ChunkRepository repo, LeaseQuota quota, InetSocketAddress dataAddress,
                                                 Clock clock) {
        return create(node, settings, memory, repo, quota, dataAddress, clock, new LenderGauges());
    }

    /** As above, publishing the lender's view and recalls to {@code gauges} (the node's metrics read them). */
    public static Behavior<LenderCommand> create(String node, LendSettings settings, MemorySource memory,
                                                 ChunkRepository repo, LeaseQuota quota, InetSocketAddress dataAddress,
                                                 Clock clock, LenderGauges gauges) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new LenderActor(ctx, timers, node, settings,
                memory, repo, quota, dataAddress, clock, gauges)));
    }

    private LenderActor(ActorContext<LenderCommand> ctx, TimerScheduler<LenderCommand> timers, String node,
                        LendSettings settings, MemorySource memory, ChunkRepository repo, LeaseQuota quota,
                        InetSocketAddress dataAddress, Clock clock, LenderGauges gauges) {
        super(ctx);
        this.timers = timers;
        this.gauges = gauges;
        this.node = node;
        this.settings = settings;
        this.memory = memory;
        this.repo = repo;
        this.quota = quota;
        this.dataAddress = dataAddress;
        this.clock = clock;
        this.ledger = new LeaseLedger(node, settings, clock);
        this.offers = new OfferPolicy(settings, memory.memTotalBytes());
        ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
        timers.startTimerWithFixedDelay(LenderCommand.Tick.INSTANCE, settings.pollInterval());
        onTick();
        ctx.getLog().info("lender {}: data plane at {}, reserve {} B, cap {} B, offering {} B", node, dataAddress,
                offers.reserveBytes(), settings.capBytes(), ledger.offer().offeredBytes());
    }

    @Override
    public Receive<LenderCommand> createReceive() {
        return newReceiveBuilder()
                .onMessage(LenderCommand.RequestLease.class, this::onRequest)
                .onMessage(LenderCommand.ReleaseLease.class, this::onRelease)
                .onMessage(LenderCommand.RecallStuck.class, this::onStuck)
                .onMessage(LenderCommand.Usage.class, u -> {
                    dirtyByBorrower.put(u.borrower(), u.dirtyBytes());
                    return this;
                })
                .onMessage(LenderCommand.Reclaim.class, r -> startReclaim(RecallReason.OPERATOR, r.deadline(), r.replyTo()))
                .onMessage(LenderCommand.Leave.class, r -> startReclaim(RecallReason.LEAVING, r.deadline(), r.replyTo()))
                .onMessage(LenderCommand.Reopen.class, r -> {
                    ledger.reopen();
                    getContext().getLog().info("lender {}: lending again (operator)", node);
                    r.replyTo().tell(view());
                    return this;
                })
                .onMessage(LenderCommand.GetView.class, g -> {
                    g.replyTo().tell(view());
                    return this;
                })
                .onMessageEquals(LenderCommand.Tick.INSTANCE, () -> {
                    onTick();
                    return this;
                })
                .onMessage(LenderCommand.ReclaimDue.class, d -> {
                    finishReclaim(d.reclaimId(), true);
                    return this;
                })
                .onMessage(LenderCommand.BorrowerGone.class, this::onBorrowerGone)
                .build();
    }

    private Behavior<LenderCommand> onRequest(LenderCommand.RequestLease r) {
        if (borrowers.put(r.borrower(), r.replyTo()) == null) {
            getContext().watchWith(r.replyTo(), new LenderCommand.BorrowerGone(r.borrower()));
        }
        var lease = ledger.grant(r.borrower(), r.wantBytes());
        if (lease.isEmpty()) {
            r.replyTo().tell(new BorrowerCommand.LeaseRefused(node, ledger.refusal().orElse("nothing offered now")));
            return this;
        }
        updateQuota(r.borrower());
        Lease l = lease.get();
        getContext().getLog().info("lender {}: lease {} of {} B to {}", node, l.id(), l.bytes(), r.borrower());
        r.replyTo().tell(new BorrowerCommand.LeaseGranted(node, getContext().getSelf(), dataAddress.getHostString(),
                dataAddress.getPort(), l.id(), l.bytes()));
        return this;
    }

    private Behavior<LenderCommand> onRelease(LenderCommand.ReleaseLease r) {
        try {
            RecallReport report = ledger.released(r.leaseId(), r.stats());
            getContext().getLog().info("lender {}: {}", node, report.summary());
            gauges.released(report);
            for (PendingReclaim p : reclaims.values()) {
                if (p.leases.remove(r.leaseId())) {
                    p.released += report.leaseBytes();
                    p.details.add(report.summary());
                }
            }
        } catch (UnknownLeaseException e) {
            getContext().getLog().debug("lender {}: release of unknown lease {} from {} (retried?)", node,
                    r.leaseId(), r.borrower());
        }
        updateQuota(r.borrower());
        warnedOverdue.remove(r.leaseId());
        checkReclaims();
        return this;
    }

    private Behavior<LenderCommand> onStuck(LenderCommand.RecallStuck s) {
        getContext().getLog().warn("lender {}: borrower {} cannot give lease {} back yet ({} B left): {}", node,
                s.borrower(), s.leaseId(), s.remainingBytes(), s.problem());
        for (PendingReclaim p : reclaims.values()) {
            if (p.leases.contains(s.leaseId())) {
                p.details.add(s.borrower() + ": " + s.problem());
            }
        }
        return this;
    }

    private void onTick() {
        try {
            long avail = memory.memAvailableBytes();
            lastMemAvailable = avail;
            Offer o = offers.offer(avail, repo.usedBytes());
            List<RecallOrder> orders = ledger.offerChanged(o);
            if (!orders.isEmpty()) {
                getContext().getLog().warn("lender {}: memory pressure (MemAvailable {} B, reserve {} B): recalling {} "
                        + "lease(s)", node, avail, offers.reserveBytes(), orders.size());
            }
            send(orders);
        } catch (RuntimeException e) {
            getContext().getLog().error("lender {}: cannot read the memory source ({}); offer unchanged", node,
                    e.getMessage());
        }
        for (RecallOrder o : ledger.overdue()) {
            if (warnedOverdue.add(o.leaseId())) {
                getContext().getLog().warn("lender {}: {} is past its deadline", node, o);
            }
        }
        gauges.published(view());
    }

    private void send(List<RecallOrder> orders) {
        for (RecallOrder o : orders) {
            ActorRef<BorrowerCommand> b = borrowers.get(o.borrower());
            if (b == null) {
                getContext().getLog().warn("lender {}: {}: borrower unknown here", node, o);
                continue;
            }
            b.tell(new BorrowerCommand.Recall(node, o.leaseId(), o.deadline().toEpochMilli(), o.reason().name()));
        }
    }

    private Behavior<LenderCommand> startReclaim(RecallReason reason, Duration deadline,
                                                 ActorRef<ReclaimResult> replyTo) {
        List<RecallOrder> orders = ledger.recallAll(reason, deadline);
        getContext().getLog().info("lender {}: {} recall of {} lease(s), deadline {}", node,
                reason.name().toLowerCase(java.util.Locale.ROOT), ledger.recalls().size(), deadline);
        send(orders);
        Set<Long> ids = new HashSet<>();
        for (RecallOrder o : ledger.recalls()) {
            ids.add(o.leaseId());
        }
        long id = nextReclaimId++;
        reclaims.put(id, new PendingReclaim(replyTo, deadline, ids));
        timers.startSingleTimer("reclaim-" + id, new LenderCommand.ReclaimDue(id), deadline);
        checkReclaims();
        return this;
    }

    private void checkReclaims() {
        for (Long id : List.copyOf(reclaims.keySet())) {
            if (reclaims.get(id).leases.isEmpty()) {
                finishReclaim(id, false);
            }
        }
    }

    private void finishReclaim(long id, boolean due) {
        PendingReclaim p = reclaims.remove(id);
        if (p == null) {
            return;
        }
        timers.cancel("reclaim-" + id);
        boolean complete = p.leases.isEmpty();
        if (!complete) {
            p.details.add(p.leases.size() + " lease(s) still lent: " + p.leases + (due ? " at the deadline" : ""));
        }
        ReclaimResult r = new ReclaimResult(node, complete, (System.nanoTime() - p.startNanos) / 1_000_000,
                p.deadline.toMillis(), p.released, List.copyOf(p.details));
        if (complete) {
            getContext().getLog().info("lender {}: {}", node, r.summary());
        } else {
            getContext().getLog().warn("lender {}: {}", node, r.summary());
        }
        p.replyTo.tell(r);
    }

    private Behavior<LenderCommand> onBorrowerGone(LenderCommand.BorrowerGone g) {
        borrowers.remove(g.borrower());
        dirtyByBorrower.remove(g.borrower());
        List<Lease> gone = ledger.borrowerGone(g.borrower());
        quota.set(g.borrower(), 0);
        long held = repo.usedBytes(g.borrower());
        repo.deleteOwner(g.borrower());
        getContext().getLog().warn("lender {}: borrower {} is gone; freed its {} lease(s) and {} B it stored here", node,
                g.borrower(), gone.size(), held);
        for (PendingReclaim p : reclaims.values()) {
            for (Lease l : gone) {
                if (p.leases.remove(l.id())) {
                    p.released += l.bytes();
                    p.details.add(g.borrower() + " left; its lease " + l.id() + " was freed");
                }
            }
        }
        checkReclaims();
        return this;
    }

    private void updateQuota(String borrower) {
        long sum = 0;
        for (Lease l : ledger.leases()) {
            if (l.borrower().equals(borrower)) {
                sum += l.bytes();
            }
        }
        quota.set(borrower, sum);
    }

    private LenderView view() {
        LenderStatus s = ledger.status();
        List<String> recalls = new ArrayList<>();
        for (LenderStatus.Recall r : s.recalls()) {
            recalls.add(r.order() + ", running for " + r.age().toMillis() + " ms" + (r.overdue() ? " (OVERDUE)" : ""));
        }
        long dirty = 0;
        for (long d : dirtyByBorrower.values()) {
            dirty += d;
        }
        long shm = ShmUsage.logicalBytes(settings.dir());
        return new LenderView(node, dataAddress.getHostString() + ":" + dataAddress.getPort(), lastMemAvailable,
                s.offeredBytes(), s.grantedBytes(), repo.usedBytes(), dirty, shm, s.refusal().isEmpty(), recalls);
    }
}
