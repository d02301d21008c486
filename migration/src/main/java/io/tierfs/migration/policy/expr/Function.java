package io.tierfs.migration.policy.expr;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The built-in functions: pure, total, with the arity checked when the expression is compiled. */
enum Function {
    MIN(1, Integer.MAX_VALUE),
    MAX(1, Integer.MAX_VALUE),
    ABS(1, 1),
    /** Natural logarithm; 0 for arguments &lt;= 0. */
    LOG(1, 1),
    LOG2(1, 1),
    LOG10(1, 1),
    /** Square root; 0 for negative arguments. */
    SQRT(1, 1),
    /** if(condition, then, else): only the chosen branch is evaluated. */
    IF(3, 3);

    final int minArgs;
    final int maxArgs;

    Function(int minArgs, int maxArgs) {
        this.minArgs = minArgs;
        this.maxArgs = maxArgs;
    }

    String exprName() {
        return name().toLowerCase(Locale.ROOT);
    }

    double apply(double[] v) {
        return switch (this) {
            case MIN -> Arrays.stream(v).min().orElse(0);
            case MAX -> Arrays.stream(v).max().orElse(0);
            case ABS -> Math.abs(v[0]);
            case LOG -> v[0] > 0 ? Math.log(v[0]) : 0;
            case LOG2 -> v[0] > 0 ? Math.log(v[0]) / Math.log(2) : 0;
            case LOG10 -> v[0] > 0 ? Math.log10(v[0]) : 0;
            case SQRT -> v[0] >= 0 ? Math.sqrt(v[0]) : 0;
            case IF -> v[0] != 0 ? v[1] : v[2];
        };
    }

    static Optional<Function> byName(String name) {
        for (Function f : values()) {
            if (f.exprName().equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    static String known() {
        return Arrays.stream(values()).map(Function::exprName).collect(Collectors.joining(", "));
    }
}
