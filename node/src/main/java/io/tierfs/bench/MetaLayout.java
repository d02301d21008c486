package io.tierfs.bench;

import java.util.Locale;

/**
 * Where the files of a metadata benchmark phase go: spread over many directories (each directory entity sees a
 * share of the load, the shards spread over the nodes) or all into one directory (one entity takes every operation:
 * only group commit keeps its journal from being the bottleneck).
 */
public enum MetaLayout {
    MANY_DIRS("many-dirs"),
    ONE_DIR("one-dir");

    private final String label;

    MetaLayout(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** "many-dirs" or "one-dir". */
    public static MetaLayout parse(String s) {
        for (MetaLayout l : values()) {
            if (l.label.equals(s.trim().toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown layout '" + s + "' (known: many-dirs, one-dir, both)");
    }
}
