package io.tierfs.simulator.report;

import java.util.List;

/**
 * One figure of the report as data: {@code values[category][series]}, drawn as grouped bars and written as CSV and
 * JSON too, so that every plot can be redrawn or checked from its numbers.
 */
public record Figure(String name, String title, String unit, List<String> series, List<String> categories,
                     List<double[]> values) {
    public Figure {
        if (values.size() != categories.size()) {
            throw new IllegalArgumentException(name + ": " + categories.size() + " categories, " + values.size() + " rows");
        }
        for (double[] row : values) {
            if (row.length != series.size()) {
                throw new IllegalArgumentException(name + ": a row has " + row.length + " values for " + series.size() + " series");
            }
        }
    }

    public String csv() {
        StringBuilder sb = new StringBuilder("category");
        for (String s : series) {
            sb.append(',').append(csvCell(s + " (" + unit + ")"));
        }
        sb.append('\n');
        for (int i = 0; i < categories.size(); i++) {
            sb.append(csvCell(categories.get(i)));
            for (double v : values.get(i)) {
                sb.append(',').append(Double.isFinite(v) ? format(v) : "");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.6g", v);
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
