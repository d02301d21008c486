package io.tierfs.migration.policy.expr;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The file attributes an expression may read (GPFS's WEIGHT sees file attributes the same way). Units: bytes,
 * seconds, decayed access count, access count, numeric ids.
 */
public enum Attribute {
    /** File size in bytes. */
    SIZE,
    /** Seconds since the last modification. */
    AGE_MTIME,
    /** Seconds since the last access. */
    AGE_ATIME,
    /** Exponentially decayed access count at evaluation time (see Heat). */
    HEAT,
    /** Total accesses counted (not decayed). */
    ACCESSES,
    /** Owner user id. */
    UID,
    /** Owner group id. */
    GID;

    /** The name used in expressions, e.g. {@code age_atime}. */
    public String exprName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Attribute> byName(String name) {
        for (Attribute a : values()) {
            if (a.exprName().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    static String known() {
        return Arrays.stream(values()).map(Attribute::exprName).collect(Collectors.joining(", "));
    }
}
