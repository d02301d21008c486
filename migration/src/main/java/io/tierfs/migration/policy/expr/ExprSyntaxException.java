package io.tierfs.migration.policy.expr;

/**
 * An expression that cannot be compiled: bad syntax, an unknown name, a wrong arity or a safety limit. Carries the
 * 1-based column so that an administrator finds the mistake in a long weight expression.
 */
public final class ExprSyntaxException extends RuntimeException {
    private final int column;
    private final String detail;

    public ExprSyntaxException(int column, String detail) {
        super("column " + column + ": " + detail);
        this.column = column;
        this.detail = detail;
    }

    /** 1-based column of the offending character (text length + 1 for "unexpected end"). */
    public int column() {
        return column;
    }

    /** The message without the position. */
    public String detail() {
        return detail;
    }
}
