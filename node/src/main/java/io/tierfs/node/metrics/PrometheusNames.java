package io.tierfs.node.metrics;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps metrics2 names (CamelCase records and metrics, as JMX shows them) to Prometheus names:
 * {@code tierfs_<record>_<metric>} in snake_case, base units (a {@code Micros} or {@code Millis} suffix becomes
 * {@code _seconds} with the value scaled), {@code _total} on counters, and metrics2 quantiles
 * ({@code ReadLatency99thPercentileMicros}) as one summary family with a {@code quantile} label.
 */
public final class PrometheusNames {
    private static final Pattern QUANTILE = Pattern.compile("^(.+?)(\\d+(?:\\.\\d+)?)thPercentile(\\w*)$");
    public static final String NAMESPACE = "tierfs";

    private PrometheusNames() {
    }

    /** A metrics2 metric as one Prometheus sample: family name, extra quantile label (or null), value scale. */
    public record Mapped(String family, String quantile, double scale) {
    }

    public static Mapped map(String record, String metric, boolean counter) {
        Matcher q = QUANTILE.matcher(metric);
        if (q.matches()) {
            Unit u = unit(q.group(3));
            String family = NAMESPACE + "_" + snake(record) + "_" + snake(q.group(1)) + u.suffix;
            double quantile = Double.parseDouble(q.group(2)) / 100.0;
            return new Mapped(family, trimNumber(quantile), u.scale);
        }
        String base = metric;
        Unit u = Unit.NONE;
        for (Unit cand : Unit.values()) {
            if (cand != Unit.NONE && metric.endsWith(cand.metrics2)) {
                base = metric.substring(0, metric.length() - cand.metrics2.length());
                u = cand;
                break;
            }
        }
        String family = NAMESPACE + "_" + snake(record) + "_" + snake(base) + u.suffix;
        if (counter && !family.endsWith("_total")) {
            family += "_total";
        }
        return new Mapped(family, null, u.scale);
    }

    /** CamelCase (or anything) to a valid snake_case Prometheus name part. */
    public static String snake(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean prevLowerOrDigit = i > 0 && (Character.isLowerCase(s.charAt(i - 1)) || Character.isDigit(s.charAt(i - 1)));
                boolean acronymEnd = i > 0 && Character.isUpperCase(s.charAt(i - 1)) && i + 1 < s.length()
                        && Character.isLowerCase(s.charAt(i + 1));
                if ((prevLowerOrDigit || acronymEnd) && out.length() > 0 && out.charAt(out.length() - 1) != '_') {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else if (Character.isLetterOrDigit(c) && c < 128) {
                out.append(c);
            } else if (out.length() > 0 && out.charAt(out.length() - 1) != '_') {
                out.append('_');
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** A label value or HELP text escaped for the text exposition format. */
    public static String escape(String s, boolean labelValue) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(labelValue ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A sample value: integers without a fraction, NaN/Inf spelled as Prometheus does. */
    public static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return trimNumber(v);
    }

    private static String trimNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static Unit unit(String metrics2Unit) {
        for (Unit u : Unit.values()) {
            if (u != Unit.NONE && u.metrics2.equals(metrics2Unit)) {
                return u;
            }
        }
        return metrics2Unit.isEmpty() ? Unit.NONE : Unit.NONE;
    }

    private enum Unit {
        NONE("", "", 1.0),
        MICROS("Micros", "_seconds", 1e-6),
        MILLIS("Millis", "_seconds", 1e-3),
        NANOS("Nanos", "_seconds", 1e-9),
        /** metrics2's own MutableStat averages ("SnapshotAvgTime") are in milliseconds. */
        AVG_TIME_MILLIS("AvgTime", "_avg_time_seconds", 1e-3);

        final String metrics2;
        final String suffix;
        final double scale;

        Unit(String metrics2, String suffix, double scale) {
            this.metrics2 = metrics2;
            this.suffix = suffix;
            this.scale = scale;
        }
    }
}
