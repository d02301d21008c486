package io.tierfs.migration.policy.doc;

/** A half-open range of reals, {@code min <= v < max}; a null bound is open. Used for heat. */
public record DoubleRange(Double min, Double max) {
    public static final DoubleRange ANY = new DoubleRange(null, null);

    public boolean contains(double v) {
        return (min == null || v >= min) && (max == null || v < max);
    }

    public boolean isAny() {
        return min == null && max == null;
    }
}
