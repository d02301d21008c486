package io.tierfs.simulator.report;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

/** Writes records, lists, maps, strings and numbers as JSON (the report has no JSON library to depend on). */
public final class Json {
    private Json() {
    }

    public static String write(Object o) {
        StringBuilder sb = new StringBuilder();
        value(sb, o, 0);
        return sb.append('\n').toString();
    }

    private static void value(StringBuilder sb, Object o, int depth) {
        if (o == null) {
            sb.append("null");
        } else if (o instanceof String s) {
            string(sb, s);
        } else if (o instanceof Double || o instanceof Float) {
            double d = ((Number) o).doubleValue();
            sb.append(Double.isFinite(d) ? Double.toString(d) : "null");
        } else if (o instanceof Number || o instanceof Boolean) {
            sb.append(o);
        } else if (o instanceof Enum<?> e) {
            string(sb, e.name().toLowerCase(java.util.Locale.ROOT));
        } else if (o instanceof Collection<?> c) {
            sb.append('[');
            int i = 0;
            for (Object x : c) {
                sb.append(i++ == 0 ? "" : ",");
                newline(sb, depth + 1);
                value(sb, x, depth + 1);
            }
            if (i > 0) {
                newline(sb, depth);
            }
            sb.append(']');
        } else if (o instanceof double[] a) {
            sb.append('[');
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ",");
                value(sb, a[i], depth);
            }
            sb.append(']');
        } else if (o instanceof Map<?, ?> m) {
            sb.append('{');
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(i++ == 0 ? "" : ",");
                newline(sb, depth + 1);
                string(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                value(sb, e.getValue(), depth + 1);
            }
            if (i > 0) {
                newline(sb, depth);
            }
            sb.append('}');
        } else if (o instanceof Record r) {
            sb.append('{');
            RecordComponent[] cs = r.getClass().getRecordComponents();
            for (int i = 0; i < cs.length; i++) {
                sb.append(i == 0 ? "" : ",");
                newline(sb, depth + 1);
                string(sb, cs[i].getName());
                sb.append(": ");
                try {
                    value(sb, cs[i].getAccessor().invoke(r), depth + 1);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + cs[i].getName() + " of " + r.getClass(), e);
                }
            }
            newline(sb, depth);
            sb.append('}');
        } else {
            string(sb, o.toString());
        }
    }

    private static void newline(StringBuilder sb, int depth) {
        sb.append('\n').append("  ".repeat(depth));
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
