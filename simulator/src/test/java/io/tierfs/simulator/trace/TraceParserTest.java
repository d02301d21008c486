package io.tierfs.simulator.trace;

import io.tierfs.simulator.workload.Op;
import io.tierfs.simulator.workload.Request;
import io.tierfs.simulator.workload.RequestSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TraceParserTest {

    static CsvTraceSource csv(String s) {
        return new CsvTraceSource(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), "t.csv");
    }

    static EchoFsTraceSource echofs(String s) {
        return new EchoFsTraceSource(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), "t.log");
    }

    static List<String> all(RequestSource src) {
        List<String> out = new ArrayList<>();
        Request r = new Request();
        while (src.next(r)) {
            out.add(r.timeNanos + " " + r.op + " " + r.file + " " + r.offset + " " + r.size + " " + src.names().job(r.job));
        }
        return out;
    }

    @Test
    void csvLinesWithHeaderCommentsJobsAndCrlf() {
        String t = "time,op,path,offset,size\r\n# a comment\n10.5,write,/a,0,4096\n\n10.75,READ,/b,8192,100\n"
                + "11,read,/a,0,4096\n12.000000001,unlink,/b,0,0";
        assertEquals(List.of("0 WRITE 0 0 4096 trace", "250000000 READ 1 8192 100 trace", "500000000 READ 0 0 4096 trace",
                "1500000001 DELETE 1 0 0 trace"), all(csv(t)));
        assertEquals(List.of("0 WRITE 0 0 1 j1", "1000000 READ 0 0 1 j2"),
                all(csv("0,write,/x,0,1,j1\n0.001,read,/x,0,1,j2\n")));
    }

    @Test
    void malformedCsvLinesNameTheLine() {
        var e = assertThrows(TraceFormatException.class, () -> all(csv("0,write,/a,0,1\n1,write,/a,0\n")));
        assertEquals(2, e.line());
        assertEquals("t.csv line 2: expected 5 or 6 comma-separated fields (time,op,path,offset,size[,job]), got 4: '1,write,/a,0'",
                e.getMessage());
        assertEquals("t.csv line 3: size is not a non-negative integer: '2,read,/a,0,-5'",
                assertThrows(TraceFormatException.class, () -> all(csv("0,write,/a,0,1\n# c\n2,read,/a,0,-5\n"))).getMessage());
        assertEquals("t.csv line 1: unknown op (expected read, write or delete): 'x,reed,/a,0,1'".replace("x,", "1,"),
                assertThrows(TraceFormatException.class, () -> all(csv("1,reed,/a,0,1"))).getMessage());
        assertEquals(1, assertThrows(TraceFormatException.class, () -> all(csv("abc,read,/a,0,1"))).line());
    }

    @Test
    void echofsLinesInTheirFormats() {
        String t = "# trace format:\n# timestamp:operation:pid:tid:path|backend:arguments\n"
                + "1490000000.000100:open:42:43:/data/in|nvml\n"
                + "1490000000.000200:write:42:43:/data/in|nvml:0:1048576\n"
                + "1490000000.000300:nvml_write:42:43:nvml:0x7f00:1048576\n"
                + "1490000000000400:read:7:8:/data/in:4096:512\n"
                + "1490000001:unlink:7:8:/data/in|nvml\n";
        assertEquals(List.of("0 OTHER 0 0 0 pid 42", "100000 WRITE 0 0 1048576 pid 42", "200000 OTHER -1 0 0 pid 42",
                "300000 READ 0 4096 512 pid 7", "999900000 DELETE 0 0 0 pid 7"), all(echofs(t)));
    }

    @Test
    void malformedEchofsLinesNameTheLine() {
        var e = assertThrows(TraceFormatException.class, () -> all(echofs("1.0:open:1:1:/a\n1.1:read:1:1:/a\n")));
        assertEquals("t.log line 2: read and write need path:offset:size: '1.1:read:1:1:/a'", e.getMessage());
        assertEquals(3, assertThrows(TraceFormatException.class,
                () -> all(echofs("# h\n1.0:open:1:1:/a\n1.0:frobnicate:1:1:/a\n"))).line());
        assertEquals("t.log line 1: expected timestamp:operation:pid:tid:path[:offset:size]: 'garbage'",
                assertThrows(TraceFormatException.class, () -> all(echofs("garbage"))).getMessage());
        assertEquals("t.log line 1: pid and tid must be non-negative integers: '1.0:open:x:1:/a'",
                assertThrows(TraceFormatException.class, () -> all(echofs("1.0:open:x:1:/a"))).getMessage());
    }

    @Test
    void linesLongerThanTheBufferAndManyPaths() {
        StringBuilder sb = new StringBuilder();
        String longPath = "/" + "p".repeat(3_000_000);
        sb.append("0,write,").append(longPath).append(",0,1\n");
        for (int i = 0; i < 50_000; i++) {
            sb.append("1,read,/f").append(i % 20_000).append(",0,1\n");
        }
        Request r = new Request();
        int max = 0;
        int n = 0;
        try (CsvTraceSource s = csv(sb.toString())) {
            while (s.next(r)) {
                max = Math.max(max, r.file);
                n++;
            }
            assertEquals(20_001, s.files());
        }
        assertEquals(50_001, n);
        assertEquals(20_000, max);
        assertEquals(Op.READ, r.op);
    }
}
