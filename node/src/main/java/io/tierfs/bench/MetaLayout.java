package io.tierfs.bench;

import java.util.Locale;

/**
 * Where the files of a metadata benchmark phase go: spread over many directories that every client walks through
 * (each directory entity sees a share of the load, the shards spread over the nodes), all into one directory (one
 * entity takes every operation: only group commit keeps its journal from being the bottleneck), or into
 * directories of each client's own, made by that client (mdtest's {@code -u}: the processes of a job working each
 * in its own directory, which the cluster then hosts on the client's node).
 */
public enum MetaLayout {
    MANY_DIRS("many-dirs"),
    ONE_DIR("one-dir"),
    UNIQUE_DIRS("unique-dirs");

    private final String label;

    MetaLayout(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** "many-dirs", "one-dir" or "unique-dirs". */
    public static MetaLayout parse(String s) {
        for (MetaLayout l : values()) {
            if (l.label.equals(s.trim().toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown layout '" + s + "' (known: many-dirs, one-dir, unique-dirs, both, all)");
    }
}
