package io.tierfs.migration.policy.doc;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a tier picks its demotion victims (first victim first). */
public enum OrderKind {
    /** Least recently accessed first (atime). Today's behaviour. */
    LRU,
    /** Fewest accesses first. */
    LFU,
    /** Coldest first: lowest exponentially decayed access count (GPFS FILE_HEAT). */
    HEAT,
    /** Largest first: frees the most room per move. */
    SIZE,
    /** Oldest modification first (mtime). */
    AGE,
    /** Highest value of the tier's {@code victimWeight} expression first (GPFS WEIGHT). */
    WEIGHT;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<OrderKind> byJsonName(String s) {
        return Arrays.stream(values()).filter(k -> k.jsonName().equals(s)).findFirst();
    }

    public static String known() {
        return Arrays.stream(values()).map(OrderKind::jsonName).collect(Collectors.joining(", "));
    }
}
