package io.tierfs.migration.policy.explain;

import io.tierfs.migration.policy.FileDecision;
import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.Policy;
import io.tierfs.migration.policy.TierState;
import io.tierfs.migration.policy.plan.Plan;
import io.tierfs.migration.policy.plan.PlannedMove;
import io.tierfs.migration.policy.plan.PolicyPlanner;
import io.tierfs.migration.policy.plan.PrestageRequest;
import io.tierfs.migration.policy.plan.Reason;
import io.tierfs.migration.policy.plan.Stay;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dry run ("explain"): runs the very planner the mover runs on the given tiers and files, and turns its plan
 * into one verdict per file and per tier, naming the rule or watermark that decided each.
 */
public final class Explainer {
    private Explainer() {
    }

    /**
     * @param tiers     the tiers' fill (e.g. {@code policy.tierStates(fills)}), fastest first
     * @param files     the files to explain, each on its current tier
     * @param prestages pre-stage requests to take into account (may be empty)
     */
    public static Explanation explain(Policy policy, List<TierState> tiers, List<FileInfo> files,
                                      List<PrestageRequest> prestages, long nowMillis, long observedRate) {
        Clock fixed = Clock.fixed(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC);
        Plan plan = new PolicyPlanner(policy, fixed, observedRate).plan(tiers, files, prestages, nowMillis);
        record Key(long ino, int tier) {
        }
        Map<Key, PlannedMove> moves = new HashMap<>();
        for (PlannedMove m : plan.moves()) {
            moves.put(new Key(m.ino(), m.fromTier()), m);
        }
        Map<Key, Reason> stays = new HashMap<>();
        for (Stay s : plan.stays()) {
            stays.putIfAbsent(new Key(s.ino(), s.tier()), s.reason());
        }
        List<FileVerdict> verdicts = new ArrayList<>();
        for (FileInfo f : files) {
            FileDecision d = policy.decide(f, nowMillis);
            Key k = new Key(f.ino(), f.tier());
            PlannedMove m = moves.get(k);
            String action;
            String to = null;
            Reason why;
            if (m != null) {
                action = switch (m.kind()) {
                    case DEMOTION -> "demote";
                    case PROMOTION -> "promote";
                    case PRESTAGE -> "prestage";
                    case RECALL -> "recall";
                };
                to = policy.tierName(m.toTier());
                why = m.reason();
            } else {
                action = "stay";
                why = stays.getOrDefault(k, new Reason("default", "nothing to do"));
            }
            verdicts.add(new FileVerdict(f.ino(), f.path(), policy.tierName(f.tier()), f.bytes(), action, to,
                    why.decidedBy(), why.detail(), d.residency().name().toLowerCase(Locale.ROOT), d.heat(),
                    d.weight(), d.placement() == null ? null : d.placement().tierName(), d.matchedRules()));
        }
        List<TierVerdict> tv = new ArrayList<>();
        long bytes = 0;
        for (PlannedMove m : plan.moves()) {
            bytes += m.bytes();
        }
        for (int i = 0; i < tiers.size(); i++) {
            TierState t = tiers.get(i);
            int tier = i;
            int out = (int) plan.moves().stream().filter(m -> m.fromTier() == tier).count();
            int in = (int) plan.moves().stream().filter(m -> m.toTier() == tier).count();
            String state = t.usedBytes() > t.highBytes() ? "above high watermark"
                    : t.usedBytes() > t.lowBytes() ? "between watermarks" : "below low watermark";
            tv.add(new TierVerdict(t.name(), t.capacityBytes(), t.usedBytes(), plan.projected().get(i).usedBytes(),
                    t.highBytes(), t.lowBytes(), policy.tiers().get(i).victimOrder().name(), state, out, in));
        }
        return new Explanation(policy.version(), nowMillis, tv, verdicts, plan.prestages(), bytes);
    }
}
