package io.tierfs.migration.policy.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive descent over the grammar in docs/policy.md. Safety: the text, the number of nodes and the nesting
 * depth are bounded, so that a document cannot make the mover evaluate something huge or blow the stack.
 */
final class Parser {
    static final int MAX_LENGTH = 1000;
    static final int MAX_NODES = 200;
    static final int MAX_DEPTH = 24;
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not");
    private static final Set<String> COMPARISONS = Set.of("<", "<=", ">", ">=", "==", "!=");

    private final List<Token> tokens;
    private int pos;
    private int nodes;
    private int depth;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static Node parse(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new ExprSyntaxException(MAX_LENGTH + 1, "expression longer than " + MAX_LENGTH + " characters");
        }
        if (text.isBlank()) {
            throw new ExprSyntaxException(1, "empty expression");
        }
        Parser p = new Parser(Lexer.tokens(text));
        Node n = p.or();
        Token t = p.peek();
        if (t.kind() != Token.Kind.END) {
            throw new ExprSyntaxException(t.column(), "unexpected '" + t.text() + "' after a complete expression");
        }
        return n;
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        return tokens.get(pos++);
    }

    private <T extends Node> T count(T n, Token at) {
        if (++nodes > MAX_NODES) {
            throw new ExprSyntaxException(at.column(), "expression has more than " + MAX_NODES + " terms");
        }
        return n;
    }

    private void enter(Token at) {
        if (++depth > MAX_DEPTH) {
            throw new ExprSyntaxException(at.column(), "expression nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private Node or() {
        Node left = and();
        while (peek().is(Token.Kind.IDENT, "or")) {
            Token op = next();
            left = count(new Node.Binary("or", left, and()), op);
        }
        return left;
    }

    private Node and() {
        Node left = not();
        while (peek().is(Token.Kind.IDENT, "and")) {
            Token op = next();
            left = count(new Node.Binary("and", left, not()), op);
        }
        return left;
    }

    private Node not() {
        if (peek().is(Token.Kind.IDENT, "not")) {
            Token op = next();
            enter(op);
            Node n = count(new Node.Not(not()), op);
            depth--;
            return n;
        }
        return comparison();
    }

    private Node comparison() {
        Node left = sum();
        Token t = peek();
        if (t.kind() == Token.Kind.OP && COMPARISONS.contains(t.text())) {
            next();
            Node right = sum();
            Token after = peek();
            if (after.kind() == Token.Kind.OP && COMPARISONS.contains(after.text())) {
                throw new ExprSyntaxException(after.column(),
                        "comparisons do not chain: write 'a < b and b < c'");
            }
            return count(new Node.Binary(t.text(), left, right), t);
        }
        return left;
    }

    private Node sum() {
        Node left = term();
        while (peek().kind() == Token.Kind.OP && (peek().text().equals("+") || peek().text().equals("-"))) {
            Token op = next();
            left = count(new Node.Binary(op.text(), left, term()), op);
        }
        return left;
    }

    private Node term() {
        Node left = unary();
        while (peek().kind() == Token.Kind.OP && (peek().text().equals("*") || peek().text().equals("/"))) {
            Token op = next();
            left = count(new Node.Binary(op.text(), left, unary()), op);
        }
        return left;
    }

    private Node unary() {
        if (peek().is(Token.Kind.OP, "-")) {
            Token op = next();
            enter(op);
            Node n = count(new Node.Neg(unary()), op);
            depth--;
            return n;
        }
        if (peek().is(Token.Kind.OP, "+")) {
            next();
            return unary();
        }
        return primary();
    }

    private Node primary() {
        Token t = next();
        switch (t.kind()) {
            case NUMBER:
                return count(new Node.Num(t.number()), t);
            case LPAREN: {
                enter(t);
                Node inner = or();
                expect(Token.Kind.RPAREN, "')' to close the '(' at column " + t.column());
                depth--;
                return inner;
            }
            case IDENT:
                return identifier(t);
            case END:
                throw new ExprSyntaxException(t.column(), "unexpected end of expression, expected a value");
            default:
                throw new ExprSyntaxException(t.column(), "unexpected '" + t.text() + "', expected a value");
        }
    }

    private Node identifier(Token t) {
        String name = t.text();
        if (KEYWORDS.contains(name)) {
            throw new ExprSyntaxException(t.column(), "unexpected '" + name + "', expected a value");
        }
        if (peek().kind() == Token.Kind.LPAREN) {
            Function f = Function.byName(name).orElseThrow(() -> new ExprSyntaxException(t.column(),
                    "unknown function '" + name + "' (known: " + Function.known() + ")"));
            Token open = next();
            enter(open);
            List<Node> args = new ArrayList<>();
            if (peek().kind() != Token.Kind.RPAREN) {
                args.add(or());
                while (peek().kind() == Token.Kind.COMMA) {
                    next();
                    args.add(or());
                }
            }
            expect(Token.Kind.RPAREN, "')' or ',' in the call of " + name + " at column " + t.column());
            depth--;
            if (args.size() < f.minArgs || args.size() > f.maxArgs) {
                String want = f.minArgs == f.maxArgs ? String.valueOf(f.minArgs)
                        : f.maxArgs == Integer.MAX_VALUE ? "at least " + f.minArgs : f.minArgs + ".." + f.maxArgs;
                throw new ExprSyntaxException(t.column(),
                        name + "() takes " + want + " argument(s), got " + args.size());
            }
            return count(new Node.Call(f, List.copyOf(args)), t);
        }
        Attribute a = Attribute.byName(name).orElseThrow(() -> new ExprSyntaxException(t.column(),
                Function.byName(name).isPresent() ? "function '" + name + "' needs arguments in parentheses"
                        : "unknown attribute '" + name + "' (known: " + Attribute.known() + ")"));
        return count(new Node.Attr(a), t);
    }

    private void expect(Token.Kind kind, String what) {
        Token t = peek();
        if (t.kind() != kind) {
            String got = t.kind() == Token.Kind.END ? "end of expression" : "'" + t.text() + "'";
            throw new ExprSyntaxException(t.column(), "expected " + what + ", got " + got);
        }
        next();
    }
}
