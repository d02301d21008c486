package io.tierfs.migration.policy.plan;

import io.tierfs.migration.policy.Demotion;
import io.tierfs.migration.policy.FileDecision;
import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.Policy;
import io.tierfs.migration.policy.PolicyTier;
import io.tierfs.migration.policy.Residency;
import io.tierfs.migration.policy.TierState;
import io.tierfs.migration.policy.glob.Glob;
import io.tierfs.migration.policy.order.FileOrder;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * The policy engine's planner: from the tiers' fill and the files' attributes to the moves to make, pure and
 * deterministic. One round, in this order (each step sees the room the earlier ones took or freed):
 * <ol>
 *   <li>pins: a file pinned to another tier than its own goes there (if it fits the capacity);</li>
 *   <li>pre-stages: requests by earliest deadline, files in the order the request names them, up to the target
 *       tier's capacity; files already there are protected from demotion until the deadline;</li>
 *   <li>demotions: as {@code WatermarkPolicy}, tier by tier, fastest first, victims by rule weight (highest
 *       first) then the tier's victim order, down to the low watermark, each to the first slower tier with room;
 *       pinned, excluded and protected files are never victims;</li>
 *   <li>promotions: files whose heat reaches a faster tier's {@code promotionHeat}, hottest first, to the fastest
 *       such tier that stays at or under its low watermark.</li>
 * </ol>
 * The moves come out in {@link MoveOrder} (priority) order.
 */
public final class PolicyPlanner {
    private final Policy policy;
    private final Clock clock;
    private final long observedRate;

    public PolicyPlanner(Policy policy, Clock clock) {
        this(policy, clock, 0);
    }

    /**
     * @param observedRateBytesPerSecond the mover's measured (or modelled) copy rate, for pre-stage estimates;
     *                                   0 = unknown (the policy's bandwidth cap is used if set)
     */
    public PolicyPlanner(Policy policy, Clock clock, long observedRateBytesPerSecond) {
        this.policy = policy;
        this.clock = clock;
        this.observedRate = observedRateBytesPerSecond;
    }

    public Policy policy() {
        return policy;
    }

    /** A full round at the clock's time. */
    public Plan plan(List<TierState> tiers, Collection<FileInfo> files, List<PrestageRequest> prestages) {
        return plan(tiers, files, prestages, clock.millis());
    }

    /** A full round at {@code nowMillis}: pins, pre-stages, demotions, promotions. */
    public Plan plan(List<TierState> tiers, Collection<FileInfo> files, List<PrestageRequest> prestages,
                     long nowMillis) {
        Round r = new Round(tiers, nowMillis);
        List<List<FileInfo>> byTier = new ArrayList<>();
        for (int i = 0; i < tiers.size(); i++) {
            byTier.add(new ArrayList<>());
        }
        for (FileInfo f : files) {
            if (f.tier() < 0 || f.tier() >= tiers.size()) {
                throw new IllegalArgumentException("file " + f.ino() + " is on tier " + f.tier() + " but there are "
                        + tiers.size() + " tiers");
            }
            byTier.get(f.tier()).add(f);
        }
        r.pins(files);
        List<PrestageProgress> progress = r.prestages(files, prestages);
        r.demote(byTier::get);
        r.promote(files);
        r.explainStays(files);
        return new Plan(nowMillis, policy.version(), MoveOrder.byPriority(r.moves), r.stays, r.projected(), progress);
    }

    /**
     * Demotions only, for the existing {@code Mover} (through {@link PolicyDemotionPolicy}): {@code filesOnTier}
     * is called only for tiers above their high watermark.
     */
    public List<Demotion> demotions(List<TierState> tiers, IntFunction<List<FileInfo>> filesOnTier) {
        Round r = new Round(tiers, clock.millis());
        r.demote(filesOnTier);
        return r.moves.stream().map(m -> ((DemotionMove) m).demotion()).toList();
    }

    /** The state of one planning round: projected fill, decisions, what moves, why things stay. */
    private final class Round {
        final List<TierState> tiers;
        final long now;
        final long[] projected;
        final List<PlannedMove> moves = new ArrayList<>();
        final List<Stay> stays = new ArrayList<>();
        final Map<FileInfo, FileDecision> decisions = new IdentityHashMap<>();
        final Map<FileInfo, Boolean> moving = new IdentityHashMap<>();
        final Map<FileInfo, Reason> noted = new IdentityHashMap<>();
        final Map<FileInfo, String> protectedBy = new IdentityHashMap<>();

        Round(List<TierState> tiers, long now) {
            if (tiers.size() != policy.tiers().size()) {
                throw new IllegalArgumentException("the policy has " + policy.tiers().size() + " tiers, the plan got "
                        + tiers.size());
            }
            this.tiers = tiers;
            this.now = now;
            this.projected = new long[tiers.size()];
            for (int i = 0; i < projected.length; i++) {
                projected[i] = tiers.get(i).usedBytes();
            }
        }

        FileDecision decision(FileInfo f) {
            return decisions.computeIfAbsent(f, x -> policy.decide(x, now));
        }

        String name(int tier) {
            return policy.tierName(tier);
        }

        boolean fits(int tier, long bytes) {
            return projected[tier] + bytes <= tiers.get(tier).capacityBytes();
        }

        void move(FileInfo f, PlannedMove m) {
            moves.add(m);
            moving.put(f, Boolean.TRUE);
            projected[m.fromTier()] -= m.bytes();
            projected[m.toTier()] += m.bytes();
        }

        void note(FileInfo f, Reason why) {
            noted.putIfAbsent(f, why);
        }

        void pins(Collection<FileInfo> files) {
            for (FileInfo f : files) {
                FileDecision d = decision(f);
                if (d.residency() != Residency.PINNED || d.pinTier() == f.tier()) {
                    continue;
                }
                int p = d.pinTier();
                Reason why = new Reason("rule:" + d.residencyRule(), "pinned to " + name(p) + " by rule '"
                        + d.residencyRule() + "'");
                if (!fits(p, f.bytes())) {
                    note(f, new Reason(why.decidedBy(), why.detail() + ", but " + name(p) + " has no room for "
                            + f.bytes() + " bytes"));
                    continue;
                }
                move(f, p < f.tier() ? new Promotion(f.ino(), f.tier(), p, f.bytes(), why)
                        : new DemotionMove(new Demotion(f.ino(), f.tier(), p, f.bytes()), why));
            }
        }

        List<PrestageProgress> prestages(Collection<FileInfo> files, List<PrestageRequest> requests) {
            List<PrestageRequest> sorted = new ArrayList<>(requests);
            sorted.sort(Comparator.comparingLong(PrestageRequest::deadlineMillis).thenComparing(PrestageRequest::id));
            long rate = rate();
            long cumulative = 0;
            List<PrestageProgress> out = new ArrayList<>();
            for (PrestageRequest q : sorted) {
                int target = policy.tierIndex(q.targetTier()).orElseThrow(() -> new IllegalArgumentException(
                        "pre-stage " + q.id() + ": unknown tier '" + q.targetTier() + "'"));
                List<Glob> globs = q.paths().stream().map(Glob::compile).toList();
                TreeMap<Integer, List<FileInfo>> matched = new TreeMap<>();
                for (FileInfo f : files) {
                    for (int g = 0; g < globs.size(); g++) {
                        if (globs.get(g).matches(f.path())) {
                            matched.computeIfAbsent(g, k -> new ArrayList<>()).add(f);
                            break;
                        }
                    }
                }
                int nMatched = 0, nDone = 0, nPlanned = 0, nBlocked = 0;
                long bMatched = 0, bDone = 0, bPlanned = 0, bBlocked = 0;
                String by = "prestage:" + q.id();
                for (List<FileInfo> group : matched.values()) {
                    group.sort(Comparator.comparing(FileInfo::path).thenComparing(FileOrder.TIE));
                    for (FileInfo f : group) {
                        nMatched++;
                        bMatched += f.bytes();
                        FileDecision d = decision(f);
                        if (f.tier() <= target) {
                            nDone++;
                            bDone += f.bytes();
                            if (now <= q.deadlineMillis()) {
                                protectedBy.putIfAbsent(f, q.id());
                            }
                            note(f, new Reason(by, "already on " + name(f.tier()) + ", at or above the target "
                                    + name(target) + " of pre-stage '" + q.id() + "'"));
                        } else if (moving.containsKey(f)) {
                            nPlanned++;
                            bPlanned += f.bytes();
                        } else if (d.residency() == Residency.EXCLUDED) {
                            nBlocked++;
                            bBlocked += f.bytes();
                            note(f, new Reason("rule:" + d.residencyRule(), "pre-stage '" + q.id()
                                    + "' wants it on " + name(target) + ", but rule '" + d.residencyRule()
                                    + "' excludes it from migration"));
                        } else if (d.residency() == Residency.PINNED && d.pinTier() > target) {
                            nBlocked++;
                            bBlocked += f.bytes();
                            note(f, new Reason("rule:" + d.residencyRule(), "pre-stage '" + q.id()
                                    + "' wants it on " + name(target) + ", but rule '" + d.residencyRule()
                                    + "' pins it to " + name(d.pinTier())));
                        } else if (!fits(target, f.bytes())) {
                            nBlocked++;
                            bBlocked += f.bytes();
                            note(f, new Reason(by, "pre-stage '" + q.id() + "': " + name(target)
                                    + " has no room for " + f.bytes() + " more bytes"));
                        } else {
                            nPlanned++;
                            bPlanned += f.bytes();
                            move(f, new Prestage(q.id(), f.ino(), f.tier(), target, f.bytes(), q.deadlineMillis(),
                                    new Reason(by, "pre-stage '" + q.id() + "' to " + name(target) + " by "
                                            + q.deadlineMillis() + " (earliest deadline first)")));
                        }
                    }
                }
                cumulative += bPlanned;
                long eta = rate > 0 ? now + (long) Math.ceil(cumulative * 1000.0 / rate) : -1;
                out.add(new PrestageProgress(q.id(), null, nMatched, nDone, nPlanned, nBlocked, bMatched, bDone,
                        bPlanned, bBlocked, q.deadlineMillis(), eta).withState(now));
            }
            return out;
        }

        long rate() {
            long cap = policy.mover().bandwidthBytesPerSecond();
            if (cap > 0 && observedRate > 0) {
                return Math.min(cap, observedRate);
            }
            return Math.max(cap, observedRate);
        }

        void demote(IntFunction<List<FileInfo>> filesOnTier) {
            int n = tiers.size();
            for (int i = 0; i < n - 1; i++) {
                TierState t = tiers.get(i);
                if (projected[i] <= t.highBytes()) {
                    continue;
                }
                PolicyTier pt = policy.tiers().get(i);
                String by = "watermark:" + t.name();
                String trigger = t.name() + " at " + pct(projected[i], t) + " is above its high watermark "
                        + pct(t.highBytes(), t);
                TreeMap<Double, List<FileInfo>> bands = new TreeMap<>(Comparator.reverseOrder());
                for (FileInfo f : filesOnTier.apply(i)) {
                    if (moving.containsKey(f)) {
                        continue;
                    }
                    FileDecision d = decision(f);
                    if (d.residency() == Residency.EXCLUDED) {
                        note(f, new Reason("rule:" + d.residencyRule(), "excluded from migration by rule '"
                                + d.residencyRule() + "'"));
                    } else if (d.residency() == Residency.PINNED) {
                        note(f, new Reason("rule:" + d.residencyRule(), "pinned to " + name(d.pinTier())
                                + " by rule '" + d.residencyRule() + "'"));
                    } else if (protectedBy.containsKey(f)) {
                        note(f, new Reason("prestage:" + protectedBy.get(f), "kept on " + t.name()
                                + " for pre-stage '" + protectedBy.get(f) + "' until its deadline"));
                    } else {
                        // + 0.0 turns -0.0 into 0.0: one band for "no weight"
                        bands.computeIfAbsent(d.weight() + 0.0, w -> new ArrayList<>()).add(f);
                    }
                }
                int rank = 0;
                for (Map.Entry<Double, List<FileInfo>> band : bands.entrySet()) {
                    for (FileInfo f : pt.victimOrder().sorted(band.getValue(), now)) {
                        rank++;
                        if (projected[i] <= t.lowBytes()) {
                            note(f, new Reason(by, trigger + ", but it reached its low watermark "
                                    + pct(t.lowBytes(), t) + " before this file (victim #" + rank + " in "
                                    + order(pt, band.getKey(), f) + ")"));
                            continue;
                        }
                        int target = -1;
                        for (int j = i + 1; j < n; j++) {
                            if (fits(j, f.bytes())) {
                                target = j;
                                break;
                            }
                        }
                        if (target < 0) {
                            note(f, new Reason(by, trigger + ", but no slower tier has room for " + f.bytes()
                                    + " bytes"));
                            continue;
                        }
                        move(f, new DemotionMove(new Demotion(f.ino(), i, target, f.bytes()), new Reason(by,
                                trigger + ": victim #" + rank + " in " + order(pt, band.getKey(), f) + ", to "
                                        + name(target))));
                    }
                }
            }
        }

        String order(PolicyTier pt, double weight, FileInfo f) {
            FileDecision d = decision(f);
            String w = d.weightRule() == null ? "" : "demotionWeight " + fmt(weight) + " of rule '" + d.weightRule()
                    + "', then ";
            return w + pt.victimOrder().name() + " order (key " + fmt(pt.victimOrder().key(f, now)) + ")";
        }

        void promote(Collection<FileInfo> files) {
            List<PolicyTier> promoting = policy.tiers().stream().filter(PolicyTier::promotes).toList();
            if (promoting.isEmpty()) {
                return;
            }
            record Hot(FileInfo file, double heat) {
            }
            List<Hot> hot = new ArrayList<>();
            for (FileInfo f : files) {
                if (f.tier() == 0 || moving.containsKey(f) || decision(f).residency() != Residency.FREE) {
                    continue;
                }
                double h = decision(f).heat();
                if (promoting.stream().anyMatch(t -> t.index() < f.tier() && h >= t.promotionHeat())) {
                    hot.add(new Hot(f, h));
                }
            }
            hot.sort(Comparator.comparingDouble(Hot::heat).reversed().thenComparing(Hot::file, FileOrder.TIE));
            for (Hot h : hot) {
                FileInfo f = h.file();
                boolean planned = false;
                List<String> full = new ArrayList<>();
                for (PolicyTier t : promoting) {
                    if (t.index() >= f.tier() || h.heat() < t.promotionHeat()) {
                        continue;
                    }
                    TierState s = tiers.get(t.index());
                    if (projected[t.index()] + f.bytes() <= s.lowBytes()) {
                        move(f, new Promotion(f.ino(), f.tier(), t.index(), f.bytes(), new Reason(
                                "promotion:" + t.name(), "heat " + fmt(h.heat()) + " >= promotionHeat "
                                + fmt(t.promotionHeat()) + " of " + t.name())));
                        planned = true;
                        break;
                    }
                    full.add(t.name());
                }
                if (!planned) {
                    note(f, new Reason("promotion:" + full.get(0), "heat " + fmt(h.heat())
                            + " qualifies for promotion, but " + String.join(", ", full)
                            + " would pass the low watermark"));
                }
            }
        }

        void explainStays(Collection<FileInfo> files) {
            for (FileInfo f : files) {
                if (moving.containsKey(f)) {
                    continue;
                }
                Reason why = noted.get(f);
                if (why == null) {
                    why = defaultStay(f);
                }
                stays.add(new Stay(f.ino(), f.tier(), why));
            }
        }

        Reason defaultStay(FileInfo f) {
            FileDecision d = decision(f);
            if (d.residency() == Residency.EXCLUDED) {
                return new Reason("rule:" + d.residencyRule(), "excluded from migration by rule '"
                        + d.residencyRule() + "'");
            }
            if (d.residency() == Residency.PINNED) {
                return new Reason("rule:" + d.residencyRule(), "pinned to " + name(d.pinTier()) + " by rule '"
                        + d.residencyRule() + "'");
            }
            TierState t = tiers.get(f.tier());
            String s = t.name() + " at " + pct(t.usedBytes(), t) + " is not above its high watermark "
                    + pct(t.highBytes(), t);
            if (f.tier() == tiers.size() - 1) {
                s = t.name() + " is the slowest tier";
            }
            boolean promotes = policy.tiers().stream().anyMatch(pt -> pt.promotes() && pt.index() < f.tier());
            if (promotes) {
                s += "; heat " + fmt(d.heat()) + " is below the promotionHeat of every faster tier";
            }
            return new Reason("default", s);
        }

        List<TierState> projected() {
            List<TierState> out = new ArrayList<>();
            for (int i = 0; i < tiers.size(); i++) {
                TierState t = tiers.get(i);
                out.add(new TierState(t.index(), t.name(), t.capacityBytes(), projected[i], t.highBytes(),
                        t.lowBytes()));
            }
            return out;
        }
    }

    static String pct(long bytes, TierState t) {
        return t.capacityBytes() <= 0 ? bytes + " B" : Math.round(100.0 * bytes / t.capacityBytes()) + "%";
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e12 ? Double.toString(Math.round(v * 1000) / 1000.0)
                : Double.toString(v);
    }
}
