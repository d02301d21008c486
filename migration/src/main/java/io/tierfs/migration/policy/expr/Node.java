package io.tierfs.migration.policy.expr;

import java.util.List;

/**
 * The syntax tree, evaluated directly. Evaluation is total: every node yields a finite double, so a weight never
 * throws inside the mover (division by zero and logarithms of non-positive numbers yield 0, see docs/policy.md).
 */
sealed interface Node {

    double eval(ExprInputs in);

    record Num(double value) implements Node {
        public double eval(ExprInputs in) {
            return value;
        }
    }

    record Attr(Attribute attribute) implements Node {
        public double eval(ExprInputs in) {
            return finite(in.get(attribute));
        }
    }

    record Neg(Node operand) implements Node {
        public double eval(ExprInputs in) {
            return -operand.eval(in);
        }
    }

    record Not(Node operand) implements Node {
        public double eval(ExprInputs in) {
            return operand.eval(in) != 0 ? 0 : 1;
        }
    }

    record Binary(String op, Node left, Node right) implements Node {
        public double eval(ExprInputs in) {
            switch (op) {
                case "and":
                    return left.eval(in) != 0 && right.eval(in) != 0 ? 1 : 0;
                case "or":
                    return left.eval(in) != 0 || right.eval(in) != 0 ? 1 : 0;
                default:
                    break;
            }
            double a = left.eval(in);
            double b = right.eval(in);
            return switch (op) {
                case "+" -> finite(a + b);
                case "-" -> finite(a - b);
                case "*" -> finite(a * b);
                case "/" -> b == 0 ? 0 : finite(a / b);
                case "<" -> a < b ? 1 : 0;
                case "<=" -> a <= b ? 1 : 0;
                case ">" -> a > b ? 1 : 0;
                case ">=" -> a >= b ? 1 : 0;
                case "==" -> a == b ? 1 : 0;
                case "!=" -> a != b ? 1 : 0;
                default -> throw new IllegalStateException("operator " + op);
            };
        }
    }

    record Call(Function function, List<Node> args) implements Node {
        public double eval(ExprInputs in) {
            double[] v = new double[args.size()];
            if (function == Function.IF) {
                return args.get(0).eval(in) != 0 ? args.get(1).eval(in) : args.get(2).eval(in);
            }
            for (int i = 0; i < v.length; i++) {
                v[i] = args.get(i).eval(in);
            }
            return finite(function.apply(v));
        }
    }

    /** Clamps infinities to the largest finite values and NaN to 0, so that comparisons stay meaningful. */
    static double finite(double v) {
        if (Double.isNaN(v)) {
            return 0;
        }
        if (v == Double.POSITIVE_INFINITY) {
            return Double.MAX_VALUE;
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return -Double.MAX_VALUE;
        }
        return v;
    }
}
