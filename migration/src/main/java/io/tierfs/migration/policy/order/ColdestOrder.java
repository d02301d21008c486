package io.tierfs.migration.policy.order;

import io.tierfs.migration.policy.FileInfo;

/** Heat: the coldest file first, heat decayed to the planning time with the policy's half-life. */
public final class ColdestOrder extends KeyedOrder {
    private final long halfLifeMillis;

    public ColdestOrder(long halfLifeMillis) {
        super(false);
        if (halfLifeMillis <= 0) {
            throw new IllegalArgumentException("half-life must be positive, got " + halfLifeMillis);
        }
        this.halfLifeMillis = halfLifeMillis;
    }

    @Override
    public double key(FileInfo f, long nowMillis) {
        return f.heat().valueAt(nowMillis, halfLifeMillis);
    }

    @Override
    public String name() {
        return "heat";
    }
}
