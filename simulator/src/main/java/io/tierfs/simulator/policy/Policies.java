package io.tierfs.simulator.policy;

import io.tierfs.migration.policy.DemotionPolicy;
import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.LruOrder;
import io.tierfs.migration.policy.VictimOrder;
import io.tierfs.migration.policy.WatermarkPolicy;
import io.tierfs.migration.policy.doc.OrderKind;
import io.tierfs.migration.policy.order.VictimOrders;
import io.tierfs.simulator.config.SimConfigException;
import io.tierfs.simulator.config.VictimSpec;

import java.time.Clock;
import java.util.function.LongFunction;

/**
 * Policies by configured name. Demotion is always the production {@link WatermarkPolicy}; its victim order is the
 * live mover's {@link LruOrder} for lru, and migration's policy-engine orders (LFU, heat, size, age, weight) for
 * the others, fed with what the simulation knows of each file.
 */
public final class Policies {
    private Policies() {
    }

    public static VictimOrder victimOrder(VictimSpec spec, LongFunction<FileInfo> facts) {
        if (spec.kind() == OrderKind.LRU) {
            return new LruOrder();
        }
        return VictimOrders.forStats(VictimOrders.of(spec.kind(), spec.compiledWeight(), spec.halfLifeMillis()),
                facts, 0);
    }

    public static DemotionPolicy demotion(VictimSpec spec, Clock clock, LongFunction<FileInfo> facts) {
        return new WatermarkPolicy(victimOrder(spec, facts), clock);
    }

    public static PromotionPolicy promotion(String name) {
        return switch (name) {
            case "none" -> PromotionPolicy.none();
            case "on-read" -> PromotionPolicy.onRead();
            default -> throw new SimConfigException("sim.policy.promotion: unknown promotion '" + name + "' (known: none, on-read)");
        };
    }
}
