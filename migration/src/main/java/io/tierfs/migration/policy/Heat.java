package io.tierfs.migration.policy;

/**
 * A file's heat, GPFS FILE_HEAT style: an access count that decays exponentially, halving every half-life without
 * accesses. Stored as the value at a moment so that nothing needs updating while a file is idle; pure math.
 *
 * @param value    the decayed count at {@code atMillis}
 * @param atMillis when {@code value} was current (epoch or virtual millis)
 */
public record Heat(double value, long atMillis) {
    public static final Heat COLD = new Heat(0, 0);

    public Heat {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("heat must be a finite non-negative number, got " + value);
        }
    }

    /** {@code value} after {@code elapsedMillis} of decay with the given half-life (no decay backwards). */
    public static double decay(double value, long elapsedMillis, long halfLifeMillis) {
        if (elapsedMillis <= 0 || value == 0) {
            return value;
        }
        if (halfLifeMillis <= 0) {
            throw new IllegalArgumentException("half-life must be positive, got " + halfLifeMillis);
        }
        return value * Math.pow(0.5, (double) elapsedMillis / halfLifeMillis);
    }

    /** The heat at {@code nowMillis}. */
    public double valueAt(long nowMillis, long halfLifeMillis) {
        return decay(value, nowMillis - atMillis, halfLifeMillis);
    }

    /** The heat after {@code accesses} more accesses at {@code nowMillis}: decay to now, then add. */
    public Heat touched(long nowMillis, long halfLifeMillis, double accesses) {
        long at = Math.max(nowMillis, atMillis);
        return new Heat(valueAt(at, halfLifeMillis) + accesses, at);
    }
}
