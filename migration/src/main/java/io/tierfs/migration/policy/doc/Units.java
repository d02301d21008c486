package io.tierfs.migration.policy.doc;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes ("4MiB", "1.5GiB", "10GB") and durations ("250ms", "30s", "15m", "2h", "7d") in the units the node's
 * HOCON configuration uses. Binary suffixes (K, KiB, M, MiB...) are powers of 1024, KB/MB/GB/TB powers of 1000.
 */
public final class Units {
    private static final Pattern NUMBER_UNIT = Pattern.compile("\\s*(-?[0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-z]*)\\s*");
    private static final Map<String, Long> SIZE = new LinkedHashMap<>();
    private static final Map<String, Long> TIME = new LinkedHashMap<>();

    static {
        SIZE.put("", 1L);
        SIZE.put("B", 1L);
        long k = 1024;
        String[] bin = {"K", "M", "G", "T", "P"};
        long f = 1;
        long d = 1;
        for (String p : bin) {
            f *= k;
            d *= 1000;
            SIZE.put(p, f);
            SIZE.put(p + "i", f);
            SIZE.put(p + "iB", f);
            SIZE.put(p + "B", d);
        }
        TIME.put("ms", 1L);
        TIME.put("s", 1000L);
        TIME.put("m", 60_000L);
        TIME.put("min", 60_000L);
        TIME.put("h", 3_600_000L);
        TIME.put("d", 86_400_000L);
        TIME.put("w", 7 * 86_400_000L);
    }

    private Units() {
    }

    /** Bytes of a size string; throws IllegalArgumentException with a one-line reason. Negative values pass. */
    public static long parseSize(String s) {
        return parse(s, SIZE, "a size (e.g. 4096, 512MiB, 1.5GiB)");
    }

    /** Milliseconds of a duration string ("250ms", "30s", "15m", "2h", "7d", "1w"). Negative values pass. */
    public static long parseDuration(String s) {
        return parse(s, TIME, "a duration (e.g. 250ms, 30s, 15m, 2h, 7d)");
    }

    private static long parse(String s, Map<String, Long> units, String what) {
        Matcher m = NUMBER_UNIT.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + s + "' is not " + what);
        }
        String unit = m.group(2);
        Long factor = units.get(unit);
        if (factor == null) {
            factor = units.get(unit.toUpperCase(Locale.ROOT));
        }
        if (factor == null || (units == TIME && unit.isEmpty())) {
            throw new IllegalArgumentException("'" + s + "' is not " + what + ": unknown unit '" + unit + "'");
        }
        BigDecimal v = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor));
        try {
            return v.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + s + "' is out of range");
        }
    }

    /** The shortest exact form: "4GiB", "1536KiB", or the plain number of bytes. */
    public static String formatSize(long bytes) {
        String[] names = {"PiB", "TiB", "GiB", "MiB", "KiB"};
        long[] f = {1L << 50, 1L << 40, 1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < f.length; i++) {
            if (bytes != 0 && bytes % f[i] == 0) {
                return bytes / f[i] + names[i];
            }
        }
        return Long.toString(bytes);
    }

    /** The shortest exact form: "7d", "90s", "250ms". */
    public static String formatDuration(long millis) {
        String[] names = {"d", "h", "m", "s"};
        long[] f = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        for (int i = 0; i < f.length; i++) {
            if (millis != 0 && millis % f[i] == 0) {
                return millis / f[i] + names[i];
            }
        }
        return millis + "ms";
    }
}
