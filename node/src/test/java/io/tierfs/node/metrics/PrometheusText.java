package io.tierfs.node.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict little parser of the Prometheus text exposition format (0.0.4), for tests: it fails on anything a
 * Prometheus server would reject (bad names, bad escapes, unparsable values, a TYPE after samples of its family,
 * a family split in two) and returns the samples.
 */
public final class PrometheusText {
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public static final class ParseException extends RuntimeException {
        ParseException(int line, String message, String text) {
            super("line " + line + ": " + message + ": " + text);
        }
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "summary", "histogram", "untyped");

    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, String> types = new HashMap<>();
    private final Map<String, String> help = new HashMap<>();

    private PrometheusText() {
    }

    public static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        p.read(text);
        return p;
    }

    public List<Sample> samples() {
        return samples;
    }

    public Map<String, String> types() {
        return types;
    }

    public Map<String, String> help() {
        return help;
    }

    /** The value of the one sample with this name whose labels include {@code labels}; fails if not exactly one. */
    public double value(String name, Map<String, String> labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) {
                found.add(s);
            }
        }
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + labels + ", found " + found);
        }
        return found.get(0).value();
    }

    private void read(String text) {
        Set<String> closed = new HashSet<>();
        String current = null;
        Set<String> seen = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int no = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] f = line.split(" ", 4);
                if (f.length >= 3 && f[1].equals("TYPE")) {
                    if (f.length != 4 || !TYPES.contains(f[3])) {
                        throw new ParseException(no, "bad TYPE line", line);
                    }
                    name(no, f[2], line);
                    if (types.containsKey(f[2]) || seen.contains(f[2])) {
                        throw new ParseException(no, "TYPE repeated or after samples", line);
                    }
                    types.put(f[2], f[3]);
                } else if (f.length >= 3 && f[1].equals("HELP")) {
                    name(no, f[2], line);
                    if (help.put(f[2], f.length == 4 ? f[3] : "") != null) {
                        throw new ParseException(no, "HELP repeated", line);
                    }
                }
                continue;
            }
            Sample s = sample(no, line);
            String family = family(s.name());
            if (!family.equals(current)) {
                if (closed.contains(family)) {
                    throw new ParseException(no, "samples of family " + family + " are not contiguous", line);
                }
                if (current != null) {
                    closed.add(current);
                }
                current = family;
            }
            seen.add(s.name());
            seen.add(family);
            samples.add(s);
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new ParseException(lines.length, "the text must end with a newline", "");
        }
    }

    private String family(String sampleName) {
        for (String suffix : new String[]{"_sum", "_count", "_bucket"}) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                String t = types.get(base);
                if ("summary".equals(t) || "histogram".equals(t)) {
                    return base;
                }
            }
        }
        return sampleName;
    }

    private static void name(int no, String n, String line) {
        if (!NAME.matcher(n).matches()) {
            throw new ParseException(no, "bad metric name '" + n + "'", line);
        }
    }

    private static Sample sample(int no, String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        name(no, name, line);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new ParseException(no, "label without '='", line);
                }
                String label = line.substring(i, eq);
                if (!LABEL.matcher(label).matches() || label.startsWith("__")) {
                    throw new ParseException(no, "bad label name '" + label + "'", line);
                }
                if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    throw new ParseException(no, "label value not quoted", line);
                }
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                while (true) {
                    if (j >= line.length()) {
                        throw new ParseException(no, "unterminated label value", line);
                    }
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(j + 1);
                        switch (n) {
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            case 'n' -> v.append('\n');
                            default -> throw new ParseException(no, "bad escape \\" + n, line);
                        }
                        j += 2;
                    } else if (c == '"') {
                        j++;
                        break;
                    } else {
                        v.append(c);
                        j++;
                    }
                }
                if (labels.put(label, v.toString()) != null) {
                    throw new ParseException(no, "label repeated", line);
                }
                if (line.charAt(j) == ',') {
                    j++;
                }
                i = j;
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new ParseException(no, "no space before the value", line);
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length < 1 || rest.length > 2) {
            throw new ParseException(no, "expected a value and an optional timestamp", line);
        }
        double value = switch (rest[0]) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(rest[0]);
                } catch (NumberFormatException e) {
                    throw new ParseException(no, "bad value '" + rest[0] + "'", line);
                }
            }
        };
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new ParseException(no, "bad timestamp", line);
            }
        }
        return new Sample(name, labels, value);
    }
}
