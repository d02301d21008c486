package io.tierfs.migration.policy.order;

import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.expr.Expression;

/** Weight: the highest value of an expression over the file's attributes first (GPFS WEIGHT). */
public final class WeightOrder extends KeyedOrder {
    private final Expression weight;
    private final long halfLifeMillis;

    public WeightOrder(Expression weight, long halfLifeMillis) {
        super(true);
        this.weight = weight;
        this.halfLifeMillis = halfLifeMillis;
    }

    @Override
    public double key(FileInfo f, long nowMillis) {
        return weight.eval(f.inputs(nowMillis, halfLifeMillis));
    }

    @Override
    public String name() {
        return "weight";
    }

    public Expression expression() {
        return weight;
    }
}
