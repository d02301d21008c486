package io.tierfs.simulator.report;

import java.util.Locale;

/**
 * A grouped horizontal bar chart of a {@link Figure} as a standalone SVG, written by hand (no plotting library):
 * one row per category, one bar per series, value labels at the bar ends, a legend.
 */
public final class Svg {
    private static final String[] COLORS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
            "#b07aa1", "#9c755f"};
    private static final int LABEL_W = 220;
    private static final int PLOT_W = 520;
    private static final int BAR_H = 14;

    private Svg() {
    }

    public static String chart(Figure f) {
        int n = f.series().size();
        int groupH = n * BAR_H + 10;
        int top = 50 + 18 * ((n + 2) / 3);
        int height = top + Math.max(1, f.categories().size()) * groupH + 30;
        int width = LABEL_W + PLOT_W + 110;
        double max = 0;
        for (double[] row : f.values()) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        if (max <= 0) {
            max = 1;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        sb.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                esc(f.title() + " (" + f.unit() + ")")));
        for (int s = 0; s < n; s++) {
            int lx = 10 + (s % 3) * 250;
            int ly = 40 + (s / 3) * 18;
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", lx, ly, COLORS[s % COLORS.length], lx + 16, ly + 10,
                    esc(f.series().get(s))));
        }
        if (f.categories().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">no data</text>%n", LABEL_W, top + 14));
        }
        for (int c = 0; c < f.categories().size(); c++) {
            int gy = top + c * groupH;
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL_W - 8, gy + n * BAR_H / 2 + 4, esc(f.categories().get(c))));
            double[] row = f.values().get(c);
            for (int s = 0; s < n; s++) {
                double v = Double.isFinite(row[s]) ? row[s] : 0;
                int w = (int) Math.round(PLOT_W * v / max);
                int y = gy + s * BAR_H;
                sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                        + "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>%n", LABEL_W, y, w, BAR_H - 2,
                        COLORS[s % COLORS.length], LABEL_W + w + 4, y + BAR_H - 4, esc(Figure.format(v))));
            }
        }
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
                LABEL_W, top - 4, LABEL_W, height - 24));
        sb.append("</svg>\n");
        return sb.toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
