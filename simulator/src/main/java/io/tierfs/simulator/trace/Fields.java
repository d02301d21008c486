package io.tierfs.simulator.trace;

/** Number parsing straight from bytes, for the trace readers' hot loop; -1 means malformed. */
final class Fields {
    private Fields() {
    }

    /** A non-negative decimal integer in [from, to), or -1. */
    static long parseLong(byte[] b, int from, int to) {
        if (from >= to || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** A non-negative decimal number of seconds ("12", "0.25", "1490000000.123456") as nanoseconds, or -1. */
    static long parseSecondsAsNanos(byte[] b, int from, int to) {
        int dot = -1;
        for (int i = from; i < to; i++) {
            if (b[i] == '.') {
                dot = i;
                break;
            }
        }
        if (dot < 0) {
            long s = parseLong(b, from, to);
            return s < 0 || s > Long.MAX_VALUE / 1_000_000_000L ? -1 : s * 1_000_000_000L;
        }
        long s = dot == from ? 0 : parseLong(b, from, dot);
        if (s < 0 || s > Long.MAX_VALUE / 1_000_000_000L) {
            return -1;
        }
        long frac = 0;
        int digits = 0;
        for (int i = dot + 1; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            if (digits < 9) {
                frac = frac * 10 + d;
                digits++;
            }
        }
        if (dot + 1 == to && dot == from) {
            return -1;
        }
        while (digits < 9) {
            frac *= 10;
            digits++;
        }
        return s * 1_000_000_000L + frac;
    }

    static boolean equalsIgnoreCase(byte[] b, int from, int to, String word) {
        if (to - from != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
