package io.tierfs.simulator.config;

import io.tierfs.migration.policy.doc.OrderKind;
import io.tierfs.migration.policy.expr.ExprSyntaxException;
import io.tierfs.migration.policy.expr.Expression;

/**
 * Which production victim order the simulated mover uses: a kind of migration's policy engine
 * ({@link OrderKind}: lru, lfu, heat, size, age, weight), the heat half-life, and the weight expression (weight
 * only). LRU uses the live mover's own {@code LruOrder}; the others the policy engine's orders, unchanged.
 */
public record VictimSpec(OrderKind kind, long halfLifeMillis, String weight) {
    /** The default heat half-life of the policy engine (docs/policy.md). */
    public static final long DEFAULT_HALF_LIFE_MILLIS = 3_600_000L;
    public static final VictimSpec LRU = new VictimSpec(OrderKind.LRU, DEFAULT_HALF_LIFE_MILLIS, null);

    public VictimSpec {
        if (kind == null) {
            throw new SimConfigException("sim.policy.victim-order: missing");
        }
        if (halfLifeMillis <= 0) {
            throw new SimConfigException("sim.policy.half-life: must be positive");
        }
        if (kind == OrderKind.WEIGHT && (weight == null || weight.isBlank())) {
            throw new SimConfigException("sim.policy.weight: the weight order needs an expression, e.g. "
                    + "\"size * age_atime\"");
        }
    }

    /** The compiled weight expression (weight order only; null otherwise). */
    public Expression compiledWeight() {
        if (kind != OrderKind.WEIGHT) {
            return null;
        }
        try {
            return Expression.compile(weight);
        } catch (ExprSyntaxException e) {
            throw new SimConfigException("sim.policy.weight: " + e.getMessage(), e);
        }
    }

    /** The name in configuration and reports. */
    public String name() {
        return kind.jsonName();
    }
}
