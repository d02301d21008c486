package io.tierfs.node.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** One screen of `tierfs top`, rendered from /api/v1/status and /api/v1/dashboard. Pure: JSON in, text out. */
final class TopFrame {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final int RECENT = 8;

    private TopFrame() {
    }

    static String render(JsonNode st, JsonNode db, ZoneId zone) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        DateTimeFormatter time = TIME.withZone(zone);
        out.printf("TierFS %s  node %s  mount %s  inodes %d  %s%n", st.path("version").asText(), st.path("node").asText(),
                st.path("mountPoint").asText("-"), st.path("inodes").asLong(),
                time.format(Instant.ofEpochMilli(db.path("timeMillis").asLong())));
        out.println();
        Table t = new Table("TIER", "USAGE", "USED", "CAPACITY", "USE%", "FILES", "CHUNKS");
        for (JsonNode tier : st.path("tiers")) {
            long cap = tier.path("capacityBytes").asLong();
            long used = tier.path("usedBytes").asLong();
            double f = cap == 0 ? 0 : (double) used / cap;
            t.row(tier.path("name").asText(), ProgressBar.bar(f, 20), Bytes.human(used), Bytes.human(cap),
                    String.format(Locale.ROOT, "%.1f%%", 100 * f), tier.path("files").asLong(), tier.path("chunks").asLong());
        }
        t.print(out);
        out.println();
        JsonNode m = st.path("mover");
        JsonNode mig = db.path("migrations");
        JsonNode hist = db.path("history");
        JsonNode last = hist.size() > 0 ? hist.get(hist.size() - 1) : null;
        out.printf("mover: %d queued, %d running, %d done, %d failed; moved %s down, %s up; now %s/s down, %s/s up%n",
                m.path("queued").asLong(), m.path("running").asLong(), m.path("done").asLong(), m.path("failed").asLong(),
                Bytes.human(mig.path("bytesDown").asLong()), Bytes.human(mig.path("bytesUp").asLong()),
                Bytes.human(last == null ? 0 : Math.round(last.path("moverDownBytesPerSec").asDouble())),
                Bytes.human(last == null ? 0 : Math.round(last.path("moverUpBytesPerSec").asDouble())));
        out.printf("metadata: %.0f ops/s%n", last == null ? 0.0 : last.path("metadataOpsPerSec").asDouble());
        for (JsonNode n : db.path("memory")) {
            out.printf("lent memory: node %s offers %s, lends %s, borrowers use %s (%s dirty)%n",
                    n.path("node").asText(), Bytes.human(n.path("offeredBytes").asLong()),
                    Bytes.human(n.path("lentBytes").asLong()), Bytes.human(n.path("usedBytes").asLong()),
                    Bytes.human(n.path("dirtyBytes").asLong()));
        }
        out.println();
        out.printf("migrations in progress: %d%n", mig.path("inProgress").size());
        Table r = new Table("FINISHED", "INODE", "CHUNK", "FROM", "TO", "BYTES", "RESULT");
        int shown = 0;
        for (JsonNode mv : mig.path("recent")) {
            if (shown++ == RECENT) {
                break;
            }
            r.row(time.format(Instant.ofEpochMilli(mv.path("endMillis").asLong())), mv.path("ino").asLong(),
                    mv.path("chunk").asInt(), mv.path("from").asText(), mv.path("to").asText(),
                    Bytes.human(mv.path("bytes").asLong()), mv.path("result").asText());
        }
        if (shown > 0) {
            out.println("recent migrations:");
            r.print(out);
        } else {
            out.println("recent migrations: none");
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
