package io.tierfs.migration.policy.order;

import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.FileStat;
import io.tierfs.migration.policy.VictimOrder;
import io.tierfs.migration.policy.doc.OrderKind;
import io.tierfs.migration.policy.expr.Expression;

import java.util.Comparator;
import java.util.function.LongFunction;

/** The victim orders by kind, and the bridge to the existing {@link VictimOrder} over {@link FileStat}. */
public final class VictimOrders {
    private VictimOrders() {
    }

    /**
     * The order of {@code kind}; {@code weight} is required for {@link OrderKind#WEIGHT} and ignored otherwise.
     */
    public static FileOrder of(OrderKind kind, Expression weight, long halfLifeMillis) {
        return switch (kind) {
            case LRU -> new LeastRecentOrder();
            case LFU -> new LeastFrequentOrder();
            case HEAT -> new ColdestOrder(halfLifeMillis);
            case SIZE -> new LargestOrder();
            case AGE -> new OldestOrder();
            case WEIGHT -> {
                if (weight == null) {
                    throw new IllegalArgumentException("the weight order needs an expression");
                }
                yield new WeightOrder(weight, halfLifeMillis);
            }
        };
    }

    /**
     * A {@link VictimOrder} for the existing {@code WatermarkPolicy}/{@code Mover}: each {@link FileStat} is
     * looked up in {@code facts} (null: only what the stat tells, see {@link FileInfo#fromStat}).
     */
    public static VictimOrder forStats(FileOrder order, LongFunction<FileInfo> facts, int tier) {
        return nowMillis -> {
            Comparator<FileInfo> c = order.at(nowMillis);
            return (a, b) -> c.compare(lookup(facts, a, tier), lookup(facts, b, tier));
        };
    }

    private static FileInfo lookup(LongFunction<FileInfo> facts, FileStat s, int tier) {
        FileInfo f = facts.apply(s.ino());
        return f != null ? f.onTier(tier, s.bytes()) : FileInfo.fromStat(s, tier);
    }
}
