package io.tierfs.migration.policy.expr;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpressionTest {
    static final ExprInputs FILE = new ExprInputs(2048, 100, 50, 3.5, 7, 1000, 2000);

    static double eval(String s) {
        return Expression.compile(s).eval(FILE);
    }

    static ExprSyntaxException error(String s) {
        return assertThrows(ExprSyntaxException.class, () -> Expression.compile(s));
    }

    @Test
    void arithmeticPrecedenceAndAssociativity() {
        assertEquals(14, eval("2 + 3 * 4"));
        assertEquals(20, eval("(2 + 3) * 4"));
        assertEquals(-6, eval("-2 * 3"));
        assertEquals(5, eval("10 - 3 - 2"));
        assertEquals(2.5, eval("10 / 2 / 2"));
        assertEquals(1, eval("- -1"));
    }

    @Test
    void logicBindsLooserThanComparisonAndOrLooserThanAnd() {
        assertEquals(1, eval("1 + 2 > 2"));
        assertEquals(1, eval("0 and 0 or 1"));
        assertEquals(0, eval("0 and (0 or 1)"));
        assertEquals(1, eval("not 0 and 1"));
        assertEquals(0, eval("not (1 and 1)"));
        assertEquals(1, eval("size >= 2KiB and uid == 1000 and gid != 1000"));
        assertEquals(0, eval("size < 1"));
        assertEquals(1, eval("1 <= 1"));
    }

    @Test
    void attributesUnitsAndFunctions() {
        assertEquals(2048, eval("size"));
        assertEquals(100, eval("age_mtime"));
        assertEquals(50, eval("age_atime"));
        assertEquals(3.5, eval("heat"));
        assertEquals(7, eval("accesses"));
        assertEquals(2, eval("size / 1KiB"));
        assertEquals(7 * 86400, eval("7d"));
        assertEquals(90, eval("1m + 30s"));
        assertEquals(1.5 * 1024 * 1024 * 1024, eval("1.5GiB"));
        assertEquals(1, eval("min(3, 1, 2)"));
        assertEquals(3, eval("max(3, 1, 2)"));
        assertEquals(1, eval("log(2.718281828459045)"), 1e-12);
        assertEquals(10, eval("log2(1024)"), 1e-12);
        assertEquals(3, eval("log10(1000)"), 1e-12);
        assertEquals(4, eval("sqrt(16)"));
        assertEquals(5, eval("abs(-5)"));
        assertEquals(42, eval("if(size > 1KiB, 42, 0)"));
        assertEquals(1e3, eval("1e3"));
    }

    @Test
    void evaluationIsTotal() {
        assertEquals(0, eval("1 / 0"));
        assertEquals(0, eval("log(0)"));
        assertEquals(0, eval("log(-1)"));
        assertEquals(0, eval("sqrt(-4)"));
        assertEquals(Double.MAX_VALUE, eval("1e300 * 1e300"));
        assertTrue(Expression.compile("0").eval(FILE) == 0 && !Expression.compile("0").test(FILE));
    }

    @Test
    void errorsNameTheColumn() {
        ExprSyntaxException e = error("size + sise");
        assertEquals(8, e.column());
        assertTrue(e.getMessage().contains("unknown attribute 'sise'"), e.getMessage());
        assertTrue(e.getMessage().contains("age_atime"), "lists the known attributes: " + e.getMessage());

        e = error("(size + 1");
        assertEquals(10, e.column());
        assertTrue(e.getMessage().contains("')'"), e.getMessage());

        e = error("size +");
        assertEquals(7, e.column());
        assertTrue(e.getMessage().contains("unexpected end"), e.getMessage());

        assertEquals(5, error("1 + $").column());
        assertEquals(3, error("1 2").column());
        assertEquals(7, error("1 < 2 < 3").column());
        assertEquals(1, error("frob(1)").column());
        assertEquals(1, error("max()").column());
        assertEquals(1, error("if(1, 2)").column());
        assertEquals(2, error("1XB").column());
        assertEquals(1, error("").column());
        assertEquals(6, error("size = 1").column());
        assertEquals(1, error("min").column());
        assertEquals(6, error("1 and").column());
    }

    @Test
    void sizeIsBounded() {
        assertEquals(Parser.MAX_LENGTH + 1, error("1+".repeat(600) + "1").column());
        String deep = "(".repeat(Parser.MAX_DEPTH + 1) + "1" + ")".repeat(Parser.MAX_DEPTH + 1);
        assertTrue(error(deep).getMessage().contains("nested deeper"));
        String wide = "1" + "+1".repeat(Parser.MAX_NODES);
        assertTrue(wide.length() < Parser.MAX_LENGTH);
        assertTrue(error(wide).getMessage().contains("more than " + Parser.MAX_NODES));
        String negs = "-".repeat(Parser.MAX_DEPTH + 1) + "1";
        assertTrue(error(negs).getMessage().contains("nested deeper"));
        // within the limits is fine
        assertEquals(Parser.MAX_NODES / 2, eval("1" + "+1".repeat(Parser.MAX_NODES / 2 - 1)));
    }
}
