package io.tierfs.borrow;

import java.time.Duration;
import java.util.Locale;

/** Byte counts and durations as the lender's and borrower's one-line messages print them ("48 MiB", "1.8 s"). */
public final class ByteSizes {
    public static final long KIB = 1L << 10;
    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;

    private ByteSizes() {
    }

    /** Binary units, integral when exact ("256 MiB"), else one decimal ("1.5 GiB"); below 1 KiB in bytes ("0 B"). */
    public static String human(long bytes) {
        if (Math.abs(bytes) < KIB) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f %s", v, units[u]);
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Seconds with one decimal below a minute ("1.8 s"), whole when exact ("30 s"). */
    public static String seconds(Duration d) {
        double s = d.toMillis() / 1000.0;
        if (s == Math.rint(s)) {
            return String.format(Locale.ROOT, "%.0f s", s);
        }
        return String.format(Locale.ROOT, "%.1f s", s);
    }
}
