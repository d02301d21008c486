package io.tierfs.simulator.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a report directory: summary.json (every figure of every run), per figure NAME.csv, NAME.json and
 * NAME.svg, and index.html showing the plots with the summary table.
 */
public final class ReportWriter {
    private ReportWriter() {
    }

    public static List<Figure> write(SimReport r, Path dir) {
        try {
            Files.createDirectories(dir);
            List<Figure> figures = Figures.of(r);
            put(dir.resolve("summary.json"), Json.write(r));
            for (Figure f : figures) {
                put(dir.resolve(f.name() + ".csv"), f.csv());
                put(dir.resolve(f.name() + ".json"), Json.write(f));
                put(dir.resolve(f.name() + ".svg"), Svg.chart(f));
            }
            put(dir.resolve("index.html"), html(r, figures));
            return figures;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void put(Path p, String s) throws IOException {
        Files.writeString(p, s, StandardCharsets.UTF_8);
    }

    private static String html(SimReport r, List<Figure> figures) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"/><title>TierFS simulation</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1000px}pre{background:#f4f4f4;padding:1em;overflow:auto}"
                        + "figure{margin:2em 0}</style></head>\n<body>\n<h1>TierFS simulation</h1>\n");
        sb.append("<p>").append(Svg.esc(r.workload())).append(" &#8212; seed ").append(r.seed()).append("</p>\n");
        sb.append("<pre>").append(Svg.esc(SummaryTable.text(r))).append("</pre>\n");
        for (Figure f : figures) {
            sb.append("<figure><img src=\"").append(f.name()).append(".svg\" alt=\"").append(Svg.esc(f.title()))
                    .append("\"/><figcaption>").append(Svg.esc(f.title())).append(": <a href=\"").append(f.name())
                    .append(".csv\">CSV</a> <a href=\"").append(f.name()).append(".json\">JSON</a></figcaption></figure>\n");
        }
        sb.append("<p><a href=\"summary.json\">summary.json</a> has every figure of every run.</p>\n</body>\n</html>\n");
        return sb.toString();
    }
}
