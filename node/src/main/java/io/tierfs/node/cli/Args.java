package io.tierfs.node.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line arguments of one command: positionals, {@code --key value} options and {@code --flag}s.
 * Unknown options are an error, so that a typo never runs a command with a default the user did not want.
 */
public final class Args {
    private final List<String> positionals = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    private Args() {
    }

    /**
     * @param valued options that take a value ("--state")
     * @param flags  options that take none ("--json")
     */
    public static Args parse(List<String> argv, Set<String> valued, Set<String> flags) {
        Args a = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String s = argv.get(i);
            if (s.startsWith("--") && s.length() > 2) {
                String key = s;
                String value = null;
                int eq = s.indexOf('=');
                if (eq > 0) {
                    key = s.substring(0, eq);
                    value = s.substring(eq + 1);
                }
                if (flags.contains(key) && value == null) {
                    a.options.put(key, "true");
                } else if (valued.contains(key)) {
                    if (value == null) {
                        if (i + 1 >= argv.size()) {
                            throw new UsageException("option " + key + " needs a value");
                        }
                        value = argv.get(++i);
                    }
                    a.options.put(key, value);
                } else {
                    throw new UsageException("unknown option " + key);
                }
            } else {
                a.positionals.add(s);
            }
        }
        return a;
    }

    public List<String> positionals() {
        return positionals;
    }

    public String positional(int i, String what) {
        if (i >= positionals.size()) {
            throw new UsageException("missing " + what);
        }
        return positionals.get(i);
    }

    public void expectPositionals(int max) {
        if (positionals.size() > max) {
            throw new UsageException("unexpected argument '" + positionals.get(max) + "'");
        }
    }

    public String option(String key, String dflt) {
        return options.getOrDefault(key, dflt);
    }

    public boolean flag(String key) {
        return options.containsKey(key);
    }

    /** Raised for a malformed command line; the message is printed with the usage hint. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
