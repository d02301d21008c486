package io.tierfs.node.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain text table with columns padded to their widest cell (numbers right-aligned). */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final String[] header;

    public Table(String... header) {
        this.header = header;
    }

    public Table row(Object... cells) {
        String[] r = new String[header.length];
        for (int i = 0; i < header.length; i++) {
            r[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
        }
        rows.add(r);
        return this;
    }

    public void print(PrintStream out) {
        int[] w = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            w[i] = header[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        line(out, header, w, false);
        for (String[] r : rows) {
            line(out, r, w, true);
        }
    }

    private static void line(PrintStream out, String[] cells, int[] w, boolean alignNumbers) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i];
            boolean numeric = alignNumbers && !c.isEmpty() && (Character.isDigit(c.charAt(0)) || c.charAt(0) == '-')
                    && i > 0;
            String pad = " ".repeat(w[i] - c.length());
            sb.append(numeric ? pad + c : c + pad);
            if (i < cells.length - 1) {
                sb.append("  ");
            }
        }
        out.println(sb.toString().stripTrailing());
    }
}
