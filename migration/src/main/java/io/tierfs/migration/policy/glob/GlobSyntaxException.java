package io.tierfs.migration.policy.glob;

/** A glob that cannot be compiled; the column (1-based) points at the problem. */
public final class GlobSyntaxException extends RuntimeException {
    private final int column;
    private final String detail;

    public GlobSyntaxException(int column, String detail) {
        super("column " + column + ": " + detail);
        this.column = column;
        this.detail = detail;
    }

    public int column() {
        return column;
    }

    public String detail() {
        return detail;
    }
}
