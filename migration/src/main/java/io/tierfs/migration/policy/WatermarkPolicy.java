package io.tierfs.migration.policy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * DESIGN.md's down-migration: when a tier is above its high watermark, demote victims (in {@link VictimOrder})
 * until it would be at or under its low watermark. Each victim goes to the first slower tier that can take it
 * given what this plan already sends there; the plan's effect is projected tier by tier, fastest first, so a
 * tier pushed over its own high watermark by incoming data is relieved in the same plan.
 */
public final class WatermarkPolicy implements DemotionPolicy {
    private final VictimOrder order;
    private final Clock clock;

    public WatermarkPolicy(VictimOrder order, Clock clock) {
        this.order = order;
        this.clock = clock;
    }

    @Override
    public List<Demotion> plan(List<TierState> tiers, IntFunction<List<FileStat>> filesOnTier) {
        int n = tiers.size();
        long[] projected = new long[n];
        for (int i = 0; i < n; i++) {
            projected[i] = tiers.get(i).usedBytes();
        }
        List<Demotion> out = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {
            TierState t = tiers.get(i);
            if (projected[i] <= t.highBytes()) {
                continue;
            }
            List<FileStat> victims = new ArrayList<>(filesOnTier.apply(i));
            victims.sort(order.at(clock.millis()));
            for (FileStat f : victims) {
                if (projected[i] <= t.lowBytes()) {
                    break;
                }
                int target = -1;
                for (int j = i + 1; j < n; j++) {
                    if (projected[j] + f.bytes() <= tiers.get(j).capacityBytes()) {
                        target = j;
                        break;
                    }
                }
                if (target < 0) {
                    continue;
                }
                out.add(new Demotion(f.ino(), i, target, f.bytes()));
                projected[i] -= f.bytes();
                projected[target] += f.bytes();
            }
        }
        return out;
    }
}
