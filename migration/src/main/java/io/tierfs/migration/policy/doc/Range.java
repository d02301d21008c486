package io.tierfs.migration.policy.doc;

/**
 * A half-open range of whole numbers, {@code min <= v < max}; a null bound is open. Ranges that tile
 * ({@code [0, 1GiB)}, {@code [1GiB, ...)}) then never overlap. Units are the field's (bytes or milliseconds).
 */
public record Range(Long min, Long max) {
    public static final Range ANY = new Range(null, null);

    public boolean contains(long v) {
        return (min == null || v >= min) && (max == null || v < max);
    }

    public boolean isAny() {
        return min == null && max == null;
    }
}
