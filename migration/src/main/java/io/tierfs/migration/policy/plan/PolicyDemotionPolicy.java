package io.tierfs.migration.policy.plan;

import io.tierfs.migration.policy.Demotion;
import io.tierfs.migration.policy.DemotionPolicy;
import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.FileStat;
import io.tierfs.migration.policy.Policy;
import io.tierfs.migration.policy.TierFill;
import io.tierfs.migration.policy.TierState;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The policy engine behind the existing {@link DemotionPolicy} interface, so the current Mover (and the simulator)
 * run rule-aware demotions unchanged: pinned and excluded files stay, weights and the tier's victim order pick the
 * victims, and the policy's watermarks and capacity caps replace the engine's. {@code facts} supplies what
 * the engine's {@link FileStat} lacks (path, owner, heat, xattrs); a null
 * answer falls back to the stat alone. The policy is read from {@code current} every round, so a replaced policy
 * takes effect at the next round.
 */
public final class PolicyDemotionPolicy implements DemotionPolicy {
    private final Supplier<Policy> current;
    private final Clock clock;
    private final LongFunction<FileInfo> facts;

    public PolicyDemotionPolicy(Supplier<Policy> current, Clock clock, LongFunction<FileInfo> facts) {
        this.current = current;
        this.clock = clock;
        this.facts = facts;
    }

    @Override
    public List<Demotion> plan(List<TierState> tiers, IntFunction<List<FileStat>> filesOnTier) {
        Policy policy = current.get();
        PolicyPlanner planner = new PolicyPlanner(policy, clock);
        List<TierState> withPolicyWatermarks = policy.tierStates(tiers.stream()
                .map(t -> new TierFill(t.name(), t.capacityBytes(), t.usedBytes())).toList());
        return planner.demotions(withPolicyWatermarks, tier -> {
            List<FileInfo> out = new ArrayList<>();
            for (FileStat s : filesOnTier.apply(tier)) {
                FileInfo f = facts.apply(s.ino());
                out.add(f != null ? f.onTier(tier, s.bytes()) : FileInfo.fromStat(s, tier));
            }
            return out;
        });
    }
}
