package io.tierfs.migration.policy.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Splits an expression into tokens. Numbers may carry a size unit (KiB..PiB, B) or a time unit (s, m, h, d). */
final class Lexer {
    private static final Map<String, Double> UNITS = Map.ofEntries(
            Map.entry("B", 1.0),
            Map.entry("KiB", 1024.0),
            Map.entry("MiB", 1024.0 * 1024),
            Map.entry("GiB", 1024.0 * 1024 * 1024),
            Map.entry("TiB", 1024.0 * 1024 * 1024 * 1024),
            Map.entry("PiB", 1024.0 * 1024 * 1024 * 1024 * 1024),
            Map.entry("s", 1.0),
            Map.entry("m", 60.0),
            Map.entry("h", 3600.0),
            Map.entry("d", 86400.0));

    private Lexer() {
    }

    static List<Token> tokens(String text) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            int col = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(text.charAt(i + 1)))) {
                int start = i;
                while (i < n && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                    i++;
                }
                if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E') && i + 1 < n
                        && (Character.isDigit(text.charAt(i + 1))
                        || ((text.charAt(i + 1) == '-' || text.charAt(i + 1) == '+') && i + 2 < n
                        && Character.isDigit(text.charAt(i + 2))))) {
                    i += 2;
                    while (i < n && Character.isDigit(text.charAt(i))) {
                        i++;
                    }
                }
                String digits = text.substring(start, i);
                double v;
                try {
                    v = Double.parseDouble(digits);
                } catch (NumberFormatException e) {
                    throw new ExprSyntaxException(col, "malformed number '" + digits + "'");
                }
                int unitStart = i;
                while (i < n && Character.isLetter(text.charAt(i))) {
                    i++;
                }
                if (i > unitStart) {
                    String unit = text.substring(unitStart, i);
                    Double f = UNITS.get(unit);
                    if (f == null) {
                        throw new ExprSyntaxException(unitStart + 1, "unknown unit '" + unit
                                + "' (sizes: B, KiB, MiB, GiB, TiB, PiB; times: s, m, h, d)");
                    }
                    v *= f;
                }
                if (!Double.isFinite(v)) {
                    throw new ExprSyntaxException(col, "number out of range '" + text.substring(start, i) + "'");
                }
                out.add(new Token(Token.Kind.NUMBER, text.substring(start, i), v, col));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(Token.Kind.IDENT, text.substring(start, i), 0, col));
            } else if (c == '(') {
                out.add(new Token(Token.Kind.LPAREN, "(", 0, col));
                i++;
            } else if (c == ')') {
                out.add(new Token(Token.Kind.RPAREN, ")", 0, col));
                i++;
            } else if (c == ',') {
                out.add(new Token(Token.Kind.COMMA, ",", 0, col));
                i++;
            } else if (c == '+' || c == '-' || c == '*' || c == '/') {
                out.add(new Token(Token.Kind.OP, String.valueOf(c), 0, col));
                i++;
            } else if (c == '<' || c == '>' || c == '=' || c == '!') {
                boolean eq = i + 1 < n && text.charAt(i + 1) == '=';
                if ((c == '=' || c == '!') && !eq) {
                    throw new ExprSyntaxException(col, "unexpected '" + c + "' (compare with == or !=, negate with not)");
                }
                String op = eq ? c + "=" : String.valueOf(c);
                out.add(new Token(Token.Kind.OP, op, 0, col));
                i += op.length();
            } else {
                throw new ExprSyntaxException(col, "unexpected character '" + c + "'");
            }
        }
        out.add(new Token(Token.Kind.END, "end of expression", 0, n + 1));
        return out;
    }
}
