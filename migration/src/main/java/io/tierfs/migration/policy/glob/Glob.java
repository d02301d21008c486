package io.tierfs.migration.policy.glob;

import java.util.regex.Pattern;

/**
 * A path glob compiled once to a regular expression. Paths are absolute in the TierFS namespace ("/a/b").
 * {@code *} and {@code ?} stay inside one path segment, {@code **} crosses segments ({@code /**}{@code /} also
 * matches a single {@code /}), {@code [abc]}, {@code [a-z]}, {@code [!a]} are character classes, {@code {x,y}}
 * alternatives (not nested), and a backslash escapes the next character. A glob that does not start with
 * {@code /} matches at any depth, as if it started with {@code /**}{@code /}.
 */
public final class Glob {
    static final int MAX_LENGTH = 4096;

    private final String text;
    private final Pattern pattern;

    private Glob(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /** Compiles {@code glob} or throws {@link GlobSyntaxException}. */
    public static Glob compile(String glob) {
        if (glob.isEmpty()) {
            throw new GlobSyntaxException(1, "empty glob");
        }
        if (glob.length() > MAX_LENGTH) {
            throw new GlobSyntaxException(MAX_LENGTH + 1, "glob longer than " + MAX_LENGTH + " characters");
        }
        StringBuilder re = new StringBuilder();
        if (!glob.startsWith("/")) {
            re.append("(?:/|/.*/)");
        }
        boolean inAlt = false;
        int altStart = 0;
        int n = glob.length();
        for (int i = 0; i < n; i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= n) {
                        throw new GlobSyntaxException(i + 1, "a backslash at the end escapes nothing");
                    }
                    re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                }
                case '*' -> {
                    if (i + 1 < n && glob.charAt(i + 1) == '*') {
                        boolean slashAfter = i + 2 < n && glob.charAt(i + 2) == '/';
                        boolean slashBefore = i == 0 || glob.charAt(i - 1) == '/';
                        if (slashBefore && slashAfter) {
                            re.append("(?:.*/)?");
                            i += 2;
                        } else {
                            re.append(".*");
                            i += 1;
                        }
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> i = charClass(glob, i, re);
                case ']' -> throw new GlobSyntaxException(i + 1, "']' without '['");
                case '{' -> {
                    if (inAlt) {
                        throw new GlobSyntaxException(i + 1, "nested '{' is not supported");
                    }
                    inAlt = true;
                    altStart = i;
                    re.append("(?:");
                }
                case '}' -> {
                    if (!inAlt) {
                        throw new GlobSyntaxException(i + 1, "'}' without '{'");
                    }
                    inAlt = false;
                    re.append(")");
                }
                case ',' -> re.append(inAlt ? "|" : ",");
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (inAlt) {
            throw new GlobSyntaxException(altStart + 1, "'{' is never closed");
        }
        return new Glob(glob, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    private static int charClass(String glob, int open, StringBuilder re) {
        int i = open + 1;
        int n = glob.length();
        StringBuilder cls = new StringBuilder("[");
        if (i < n && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
            cls.append('^');
            i++;
        }
        int firstMember = i;
        for (; i < n; i++) {
            char c = glob.charAt(i);
            if (c == ']' && i > firstMember) {
                cls.append(']');
                re.append("(?!/)").append(cls);
                return i;
            }
            if (c == '/') {
                throw new GlobSyntaxException(i + 1, "'/' cannot appear in a character class");
            }
            if (c == '-' && i > firstMember && i + 1 < n && glob.charAt(i + 1) != ']') {
                char lo = glob.charAt(i - 1);
                char hi = glob.charAt(i + 1);
                if (hi < lo) {
                    throw new GlobSyntaxException(i + 1, "range " + lo + "-" + hi + " is reversed");
                }
                cls.append('-');
                continue;
            }
            if (c == '\\' && i + 1 < n) {
                c = glob.charAt(++i);
            }
            if (Character.isLetterOrDigit(c)) {
                cls.append(c);
            } else {
                cls.append('\\').append(c);
            }
        }
        throw new GlobSyntaxException(open + 1, "'[' is never closed");
    }

    /** True if the whole of {@code path} matches. */
    public boolean matches(String path) {
        return pattern.matcher(path).matches();
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
