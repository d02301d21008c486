package io.tierfs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierfs.bench.IoBench;
import io.tierfs.bench.IoBenchOptions;
import io.tierfs.bench.IoBenchReport;
import io.tierfs.bench.IoResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IoBench end to end on two plain directories with small sizes, and its option parsing. */
class IoBenchSmokeTest {

    @TempDir
    Path target;
    @TempDir
    Path baseline;

    @Test
    void runsOnTwoDirectoriesAndCleansUp() throws Exception {
        IoBenchOptions options = IoBenchOptions.defaults().withSize(8L << 20).withFiles(300).withRounds(2)
                .withJson(true);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        IoBenchReport report = IoBench.run(target, baseline, options, new PrintStream(buf, true, StandardCharsets.UTF_8));

        for (IoResult r : List.of(report.tierfs(), report.tmpfs())) {
            assertTrue(r.writeMBps() > 0 && r.writeWithFsyncMBps() > 0 && r.readMBps() > 0 && r.coldReadMBps() > 0,
                    r.toString());
            assertTrue(r.writeWithFsyncMBps() <= r.writeMBps(), "fsync time only lowers the rate: " + r);
            assertTrue(r.createPerSec() > 0 && r.statPerSec() > 0 && r.unlinkPerSec() > 0, r.toString());
        }
        String json = buf.toString(StandardCharsets.UTF_8).trim();
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        for (IoBenchReport.Metric m : IoBenchReport.METRICS) {
            Matcher mm = Pattern.compile("\"" + m.key() + "\":\\{\"tierfs\":([0-9.]+),\"tmpfs\":([0-9.]+),\"ratio\":([0-9.]+)\\}")
                    .matcher(json);
            assertTrue(mm.find(), m.key() + " in " + json);
            assertEquals(report.ratio(m), Double.parseDouble(mm.group(3)), 0.001, m.key());
        }
        assertTrue(json.contains("\"sizeBytes\":8388608") && json.contains("\"rounds\":2"), json);
        try (var left = Files.list(target)) {
            assertEquals(0, left.count(), "target cleaned up");
        }
        try (var left = Files.list(baseline)) {
            assertEquals(0, left.count(), "baseline cleaned up");
        }
        String table = report.toTable();
        assertTrue(table.contains("seq read (MB/s, cold)") && table.contains("median of 2") && table.contains("ratio"),
                table);
    }

    @Test
    void defaultBaselineLivesUnderDevShmAndIsRemoved() throws Exception {
        IoBenchOptions options = IoBenchOptions.defaults().withSize(1L << 20).withFiles(20).withRounds(1);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        IoBenchReport report = IoBench.run(target, null, options, new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertTrue(report.baseline().startsWith("/dev/shm"), report.baseline().toString());
        assertTrue(Files.notExists(report.baseline()), "own baseline dir deleted");
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("create (ops/s)"));
    }

    @Test
    void parsesTheCommandLine() {
        IoBenchOptions.Parsed p = IoBenchOptions.parse(List.of("/mnt/t", "--json", "--size", "512M", "--files", "77"));
        assertEquals(Path.of("/mnt/t"), p.target());
        assertEquals(512L << 20, p.options().sizeBytes());
        assertEquals(77, p.options().files());
        assertTrue(p.options().json());
        assertEquals(1L << 30, IoBenchOptions.parse(List.of("x")).options().sizeBytes());
        assertEquals(1L << 30, IoBenchOptions.parseSize("1G"));
        assertEquals(1L << 30, IoBenchOptions.parseSize("1GiB"));
        assertEquals(4096, IoBenchOptions.parseSize("4k"));
        assertEquals(123, IoBenchOptions.parseSize("123"));
        assertThrows(IllegalArgumentException.class, () -> IoBenchOptions.parseSize("lots"));
        assertThrows(IllegalArgumentException.class, () -> IoBenchOptions.parse(List.of("--json")));
        assertThrows(IllegalArgumentException.class, () -> IoBenchOptions.parse(List.of("a", "--size")));
        assertEquals(5, IoBenchOptions.parse(List.of("a", "--rounds", "5")).options().rounds());
        assertEquals(3, IoBenchOptions.parse(List.of("a")).options().rounds());
        assertThrows(IllegalArgumentException.class, () -> IoBenchOptions.parse(List.of("a", "--rounds", "0")));
        assertThrows(IllegalArgumentException.class, () -> IoBenchOptions.parse(List.of("a", "--rounds", "x")));
    }

    @Test
    void medianIsTakenMetricByMetric() {
        IoResult a = new IoResult(1, 10, 100, 1000, 5, 50, 500);
        IoResult b = new IoResult(3, 30, 300, 3000, 1, 10, 100);
        IoResult c = new IoResult(2, 20, 200, 2000, 9, 90, 900);
        assertEquals(new IoResult(2, 20, 200, 2000, 5, 50, 500), IoResult.median(List.of(a, b, c)));
        assertEquals(a, IoResult.median(List.of(a)));
        assertThrows(IllegalArgumentException.class, () -> IoResult.median(List.of()));
    }
}
