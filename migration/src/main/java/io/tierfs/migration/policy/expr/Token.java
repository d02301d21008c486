package io.tierfs.migration.policy.expr;

/** A lexical token; {@code column} is 1-based. Numbers carry their value with any unit suffix applied. */
record Token(Kind kind, String text, double number, int column) {
    enum Kind { NUMBER, IDENT, OP, LPAREN, RPAREN, COMMA, END }

    boolean is(Kind k, String t) {
        return kind == k && text.equals(t);
    }
}
