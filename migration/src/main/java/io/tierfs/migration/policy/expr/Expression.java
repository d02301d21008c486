package io.tierfs.migration.policy.expr;

/**
 * A compiled weight or condition expression (GPFS WEIGHT-like): numbers, attributes, arithmetic, comparisons,
 * and/or/not and a few pure functions. Compile once, evaluate per file; no loops, no side effects, bounded size.
 * Booleans are numbers: comparisons yield 1 or 0 and any non-zero value is true.
 */
public final class Expression {
    private final String text;
    private final Node root;

    private Expression(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** Compiles {@code text}, or throws {@link ExprSyntaxException} naming the column of the first error. */
    public static Expression compile(String text) {
        return new Expression(text, Parser.parse(text));
    }

    /** A constant (a numeric weight written as a JSON number). */
    public static Expression constant(double value) {
        return new Expression(Double.toString(value), new Node.Num(value));
    }

    /** Evaluates against one file's attributes; always finite, never throws. */
    public double eval(ExprInputs in) {
        return root.eval(in);
    }

    /** True if the value is non-zero. */
    public boolean test(ExprInputs in) {
        return eval(in) != 0;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
