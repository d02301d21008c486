package io.tierfs.node.fsck;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

/** The whole report as one JSON document ({@code tierfs fsck --json}). */
public final class ReportJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    public static String render(FsckReport r, Path stateDir, long totalMillis) {
        ObjectNode root = JSON.createObjectNode();
        root.put("stateDir", stateDir.toString());
        root.put("clean", r.clean());
        root.put("exitCode", r.exitCode());
        root.put("repair", r.repaired());
        FsckStats s = r.stats();
        ObjectNode sum = root.putObject("summary");
        sum.put("directories", s.directories());
        sum.put("names", s.names());
        sum.put("files", s.files());
        sum.put("bytes", s.bytes());
        sum.put("dataBytes", s.dataBytes());
        sum.put("problems", r.problems().size());
        ObjectNode byKind = sum.putObject("problemsByKind");
        r.countsByKind().forEach((k, n) -> byKind.put(k.label(), n));
        sum.put("unrepaired", r.unrepaired());
        sum.put("checkMillis", r.checkMillis());
        sum.put("repairMillis", r.repairMillis());
        sum.put("totalMillis", totalMillis);
        Map<Problem, Change> done = new IdentityHashMap<>();
        r.changes().forEach(c -> done.put(c.problem(), c));
        ArrayNode problems = root.putArray("problems");
        for (Problem p : r.problems()) {
            ObjectNode o = problems.addObject();
            o.put("kind", p.kind().label());
            o.put("subject", p.subject());
            o.put("ino", p.ino());
            o.put("detail", p.detail());
            if (p.dataBytes() > 0) {
                o.put("dataBytes", p.dataBytes());
            }
            p.repair().ifPresentOrElse(a -> o.put("repair", a.describe()), () -> o.putNull("repair"));
            if (p.manual() != null) {
                o.put("manual", p.manual());
            }
            Change c = done.get(p);
            if (c != null) {
                o.put("repaired", c.ok());
                if (!c.ok()) {
                    o.put("error", c.error());
                }
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render the fsck report as JSON", e);
        }
    }
}
