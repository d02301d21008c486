package io.tierfs.bench;

import java.util.List;

/** What every bench's option parser needs: the value that follows a flag, or a clear error with the usage. */
final class BenchArgs {
    private BenchArgs() {
    }

    /** {@code args[i]}, the value of {@code flag}; IllegalArgumentException naming the flag if it is missing. */
    static String value(List<String> args, int i, String flag, String usage) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(flag + " needs a value (usage: " + usage + ")");
        }
        return args.get(i);
    }

    /** A whole-number value of {@code flag} ("10000", "10_000" or "10,000"); IllegalArgumentException naming it. */
    static int count(String s, String flag) {
        try {
            return Integer.parseInt(s.trim().replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a whole number, not '" + s + "'", e);
        }
    }
}
