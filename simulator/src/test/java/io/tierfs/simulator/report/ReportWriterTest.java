package io.tierfs.simulator.report;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.tierfs.simulator.config.SimConfig;
import io.tierfs.simulator.config.SimConfigLoader;
import io.tierfs.simulator.engine.SimRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWriterTest {
    @TempDir
    Path dir;

    @Test
    void everyFigureIsWrittenAsCsvJsonAndSvgAndTheIndexShowsThem() throws Exception {
        SimConfig cfg = SimConfigLoader.load(Path.of("sim.conf"));
        SimReport r = SimRunner.run(cfg, dir, SimRunner.Progress.NONE);
        assertEquals(3, r.runs().size());
        List<Figure> figures = ReportWriter.write(r, dir);
        var summary = ConfigFactory.parseString(Files.readString(dir.resolve("summary.json")),
                ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
        assertEquals(3, summary.getConfigList("runs").size());
        String html = Files.readString(dir.resolve("index.html"));
        var xml = DocumentBuilderFactory.newInstance();
        for (Figure f : figures) {
            List<String> csv = Files.readAllLines(dir.resolve(f.name() + ".csv"));
            assertEquals(f.categories().size() + 1, csv.size(), f.name());
            assertEquals(f.series().size() + 1, csv.get(0).split(",").length, f.name());
            var json = ConfigFactory.parseString(Files.readString(dir.resolve(f.name() + ".json")),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
            assertEquals(f.name(), json.getString("name"));
            var svg = xml.newDocumentBuilder().parse(dir.resolve(f.name() + ".svg").toFile());
            assertEquals("svg", svg.getDocumentElement().getNodeName());
            assertTrue(html.contains("src=\"" + f.name() + ".svg\""), f.name());
        }
        // the sample's recalls are reported with their times
        assertEquals(2, r.main().recalls().size());
        assertTrue(Files.readString(dir.resolve("recall-times.csv")).contains("lender 3 (job start)"));
        // index.html is well-formed XHTML as written
        xml.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(
                html.replace("<!DOCTYPE html>", "").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
