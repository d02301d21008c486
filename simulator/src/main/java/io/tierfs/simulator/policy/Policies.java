package io.tierfs.simulator.policy;

import io.tierfs.migration.policy.DemotionPolicy;
import io.tierfs.migration.policy.LruOrder;
import io.tierfs.migration.policy.VictimOrder;
import io.tierfs.migration.policy.WatermarkPolicy;
import io.tierfs.simulator.config.SimConfigException;

import java.time.Clock;

/**
 * Policies by configured name. Demotion is always the production {@link WatermarkPolicy} with a production
 * {@link VictimOrder}; a new order (LFU, heat) is one more case here once it exists in migration/.
 */
public final class Policies {
    private Policies() {
    }

    public static VictimOrder victimOrder(String name) {
        return switch (name) {
            case "lru" -> new LruOrder();
            default -> throw new SimConfigException("sim.policy.victim-order: unknown order '" + name + "' (known: lru)");
        };
    }

    public static DemotionPolicy demotion(String order, Clock clock) {
        return new WatermarkPolicy(victimOrder(order), clock);
    }

    public static PromotionPolicy promotion(String name) {
        return switch (name) {
            case "none" -> PromotionPolicy.none();
            case "on-read" -> PromotionPolicy.onRead();
            default -> throw new SimConfigException("sim.policy.promotion: unknown promotion '" + name + "' (known: none, on-read)");
        };
    }
}
