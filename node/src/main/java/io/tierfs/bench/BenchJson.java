package io.tierfs.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the benches' {@code --json} reports share: figures to three decimals, the document pretty-printed. */
final class BenchJson {
    private BenchJson() {
    }

    static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }

    static String render(ObjectNode root) {
        try {
            return root.toPrettyString();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot render the report as JSON", e);
        }
    }
}
