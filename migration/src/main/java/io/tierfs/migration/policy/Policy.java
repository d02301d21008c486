package io.tierfs.migration.policy;

import io.tierfs.migration.policy.doc.InvalidPolicyException;
import io.tierfs.migration.policy.doc.MoverSettings;
import io.tierfs.migration.policy.doc.PolicyDoc;
import io.tierfs.migration.policy.doc.PolicyValidator;
import io.tierfs.migration.policy.doc.Problem;
import io.tierfs.migration.policy.doc.Rule;
import io.tierfs.migration.policy.doc.TierPolicy;
import io.tierfs.migration.policy.expr.Expression;
import io.tierfs.migration.policy.order.VictimOrders;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A valid policy document, compiled: immutable, safe to share between threads, and the only thing the planner,
 * the mover, the simulator and the REST dry run consult. Rules are evaluated in document order, and for each
 * aspect (placement, residency = pin/exclude, demotion weight) the first matching rule that sets it decides.
 */
public final class Policy {
    private final PolicyDoc doc;
    private final List<PolicyTier> tiers;
    private final Map<String, Integer> tierIndex;
    private final List<PolicyRule> rules;

    private Policy(PolicyDoc doc, List<PolicyTier> tiers, Map<String, Integer> tierIndex, List<PolicyRule> rules) {
        this.doc = doc;
        this.tiers = tiers;
        this.tierIndex = tierIndex;
        this.rules = rules;
    }

    /** Validates and compiles {@code doc}; throws {@link InvalidPolicyException} listing every problem. */
    public static Policy compile(PolicyDoc doc) {
        List<Problem> problems = PolicyValidator.validate(doc);
        if (!problems.isEmpty()) {
            throw new InvalidPolicyException(problems);
        }
        long halfLife = doc.heat().halfLifeMillis();
        List<PolicyTier> tiers = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < doc.tiers().size(); i++) {
            TierPolicy t = doc.tiers().get(i);
            Expression w = t.victimWeight() == null ? null : Expression.compile(t.victimWeight());
            tiers.add(new PolicyTier(i, t.name(), t.capacityBytes() == null ? 0 : t.capacityBytes(),
                    t.highWatermark(), t.lowWatermark(), VictimOrders.of(t.victimOrder(), w, halfLife),
                    t.promotionHeat() == null ? Double.NaN : t.promotionHeat()));
            index.put(t.name(), i);
        }
        List<PolicyRule> rules = new ArrayList<>();
        for (int i = 0; i < doc.rules().size(); i++) {
            Rule r = doc.rules().get(i);
            String name = r.name() != null ? r.name() : "rules[" + i + "]";
            int placeOn = r.action().placeOn() == null ? -1 : index.get(r.action().placeOn());
            int pin = r.action().pin() == null ? -1 : index.get(r.action().pin());
            rules.add(new PolicyRule(name, r, placeOn, pin));
        }
        return new Policy(doc, List.copyOf(tiers), Map.copyOf(index), List.copyOf(rules));
    }

    public PolicyDoc doc() {
        return doc;
    }

    public long version() {
        return doc.version();
    }

    /** The tiers, fastest first; a tier's index is its position. */
    public List<PolicyTier> tiers() {
        return tiers;
    }

    public List<PolicyRule> rules() {
        return rules;
    }

    public long halfLifeMillis() {
        return doc.heat().halfLifeMillis();
    }

    /** The mover's throttles (concurrency, bandwidth cap) as data. */
    public MoverSettings mover() {
        return doc.mover();
    }

    /** The index of the tier named {@code name}, if the policy has it. */
    public Optional<Integer> tierIndex(String name) {
        return Optional.ofNullable(tierIndex.get(name));
    }

    public String tierName(int index) {
        return index >= 0 && index < tiers.size() ? tiers.get(index).name() : "tier" + index;
    }

    /** The heat of {@code f} at {@code nowMillis} with this policy's half-life. */
    public double heatOf(FileInfo f, long nowMillis) {
        return f.heat().valueAt(nowMillis, halfLifeMillis());
    }

    /** Runs the rules over {@code f}: residency, weight, placement, and which rules decided them. */
    public FileDecision decide(FileInfo f, long nowMillis) {
        long halfLife = halfLifeMillis();
        Residency residency = Residency.FREE;
        int pinTier = -1;
        String residencyRule = null;
        double weight = 0;
        String weightRule = null;
        Placement placement = null;
        List<String> matched = new ArrayList<>();
        for (PolicyRule r : rules) {
            if (!r.matches(f, nowMillis, halfLife)) {
                continue;
            }
            matched.add(r.name());
            if (residencyRule == null && (r.pin() >= 0 || r.excludes())) {
                residencyRule = r.name();
                if (r.excludes()) {
                    residency = Residency.EXCLUDED;
                } else {
                    residency = Residency.PINNED;
                    pinTier = r.pin();
                }
            }
            if (weightRule == null && r.weight() != null) {
                weightRule = r.name();
                weight = r.weight().eval(f.inputs(nowMillis, halfLife));
            }
            if (placement == null && r.placeOn() >= 0) {
                placement = new Placement(r.placeOn(), tierName(r.placeOn()), r.name());
            }
        }
        return new FileDecision(residency, pinTier, residencyRule, weight, weightRule, placement,
                heatOf(f, nowMillis), matched);
    }

    /**
     * Where new data of {@code f} (as known at create: path, owner, xattrs; size 0) goes: the first matching rule
     * with {@code placeOn}, else empty (the engine's default: the fastest tier with room).
     */
    public Optional<Placement> placementFor(FileInfo f, long nowMillis) {
        long halfLife = halfLifeMillis();
        for (PolicyRule r : rules) {
            if (r.placeOn() >= 0 && r.matches(f, nowMillis, halfLife)) {
                return Optional.of(new Placement(r.placeOn(), tierName(r.placeOn()), r.name()));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether chunks of {@code f} (as known at create) that land in lent DRAM keep a second copy on another lender:
     * the name of the first matching rule with {@code dramReplica: true}, else empty.
     */
    public Optional<String> dramReplicaFor(FileInfo f, long nowMillis) {
        long halfLife = halfLifeMillis();
        for (PolicyRule r : rules) {
            if (r.source().action().dramReplica() && r.matches(f, nowMillis, halfLife)) {
                return Optional.of(r.name());
            }
        }
        return Optional.empty();
    }

    /**
     * The planner's view of the tiers: the engine's capacities and use, with this policy's watermarks and caps.
     * {@code fills} must name this policy's tiers, fastest first.
     */
    public List<TierState> tierStates(List<TierFill> fills) {
        if (fills.size() != tiers.size()) {
            throw new IllegalArgumentException("the policy has " + tiers.size() + " tiers, got fills for "
                    + fills.size());
        }
        List<TierState> out = new ArrayList<>();
        for (int i = 0; i < fills.size(); i++) {
            TierFill f = fills.get(i);
            PolicyTier t = tiers.get(i);
            if (!t.name().equals(f.name())) {
                throw new IllegalArgumentException("tier " + i + " is '" + t.name() + "' in the policy, '" + f.name()
                        + "' in the engine");
            }
            out.add(t.state(f.capacityBytes(), f.usedBytes()));
        }
        return out;
    }
}
