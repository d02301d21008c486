package io.tierfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bench rtt} end to end with short phases: a real TCP echo on 127.0.0.1 and two real ActorSystems talking
 * over Artery. Asserts that every transport exchanged messages and that the report carries the figures; no timing
 * floor.
 */
class RttBenchSmokeTest {

    @Test
    void everyTransportExchangesWithOneAndWithSeveralClients() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = RttBench.run(List.of("--clients", "2", "--seconds", "0.3", "--json"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, rc);
        JsonNode rows = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("rows");
        assertEquals(6, rows.size(), "tcp, local ask and Artery ask, with 1 and with 2 clients: " + rows);
        for (JsonNode r : rows) {
            assertTrue(r.get("roundTripsPerSecond").asDouble() > 0, r.toString());
            assertTrue(r.get("cpuMicrosPerRoundTrip").asDouble() >= 0, r.toString());
        }
        assertTrue(rows.toString().contains("pekko ask, Artery"), rows.toString());
    }

    @Test
    void badArgumentsAreRefusedWithTheFlagNamed() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RttBench.run(List.of("--seconds", "-1"), sink, sink));
        assertTrue(e.getMessage().contains("--seconds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RttBench.run(List.of("--clients", "0"), sink, sink));
        assertTrue(e.getMessage().contains("--clients"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RttBench.run(List.of("--bogus"), sink, sink));
        assertTrue(e.getMessage().contains("--bogus"), e.getMessage());
    }
}
