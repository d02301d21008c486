package io.tierfs.migration.policy.expr;

/**
 * The values of the attributes for one evaluation, already in expression units (bytes, seconds, decayed heat).
 * A record of plain numbers so that an expression never touches a file system or a clock.
 */
public record ExprInputs(double size, double ageMtime, double ageAtime, double heat, double accesses, double uid,
                         double gid) {

    double get(Attribute a) {
        return switch (a) {
            case SIZE -> size;
            case AGE_MTIME -> ageMtime;
            case AGE_ATIME -> ageAtime;
            case HEAT -> heat;
            case ACCESSES -> accesses;
            case UID -> uid;
            case GID -> gid;
        };
    }
}
