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
}
