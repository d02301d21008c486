package io.tierfs.migration.policy.glob;

import java.util.regex.Pattern;

/**
 * A pattern over an attribute value (not a path): {@code *} is any run of characters, {@code ?} one character,
 * a backslash escapes. "*" matches any value, i.e. "the attribute is present".
 */
public final class ValuePattern {
    private final String text;
    private final Pattern pattern;

    private ValuePattern(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    public static ValuePattern compile(String text) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 1 >= text.length()) {
                    throw new GlobSyntaxException(i + 1, "a backslash at the end escapes nothing");
                }
                re.append(Pattern.quote(String.valueOf(text.charAt(++i))));
            } else if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new ValuePattern(text, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    public boolean matches(String value) {
        return value != null && pattern.matcher(value).matches();
    }

    public String text() {
        return text;
    }
}
