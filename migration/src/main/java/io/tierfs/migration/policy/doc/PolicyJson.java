package io.tierfs.migration.policy.doc;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * The policy document's JSON form. Reading is strict (unknown fields and duplicate keys are problems) but never
 * stops at the first problem: the tree is read with Jackson and walked field by field, so a document with five
 * mistakes gets five {@link Problem}s. Writing gives the canonical form (sizes and durations with units).
 */
public final class PolicyJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** A read document ({@code null} if the text is not a JSON object) and the structural problems found. */
    public record Read(PolicyDoc doc, List<Problem> problems) {
        public Read {
            problems = List.copyOf(problems);
        }
    }

    private PolicyJson() {
    }

    /** Reads {@code json}; structural problems only (see {@link PolicyValidator} for the semantic ones). */
    public static Read read(String json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return new Read(null, List.of(new Problem("", "malformed JSON" + where(e.getLocation()) + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""))));
        }
        if (tree == null || tree.isMissingNode()) {
            return new Read(null, List.of(new Problem("", "empty document")));
        }
        DocReader r = new DocReader();
        PolicyDoc doc = r.root(tree);
        return new Read(doc, r.problems);
    }

    private static String where(JsonLocation loc) {
        return loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    /** The canonical JSON text of {@code doc}; {@link #read} gives back an equal document. */
    public static String write(PolicyDoc doc) {
        try {
            return MAPPER.writeValueAsString(tree(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a policy document", e);
        }
    }

    /** The document as a Jackson tree (for a REST layer that embeds it in a larger response). */
    public static ObjectNode tree(PolicyDoc doc) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", doc.version());
        if (doc.description() != null && !doc.description().isEmpty()) {
            root.put("description", doc.description());
        }
        ArrayNode tiers = root.putArray("tiers");
        for (TierPolicy t : doc.tiers()) {
            ObjectNode o = tiers.addObject();
            o.put("name", t.name());
            if (t.capacityBytes() != null) {
                o.put("capacity", Units.formatSize(t.capacityBytes()));
            }
            o.put("highWatermark", t.highWatermark());
            o.put("lowWatermark", t.lowWatermark());
            o.put("victimOrder", t.victimOrder().jsonName());
            if (t.victimWeight() != null) {
                o.put("victimWeight", t.victimWeight());
            }
            if (t.promotionHeat() != null) {
                o.put("promotionHeat", t.promotionHeat());
            }
        }
        root.putObject("heat").put("halfLife", Units.formatDuration(doc.heat().halfLifeMillis()));
        ObjectNode mover = root.putObject("mover");
        mover.put("concurrency", doc.mover().concurrency());
        mover.put("bandwidth", Units.formatSize(doc.mover().bandwidthBytesPerSecond()));
        ArrayNode rules = root.putArray("rules");
        for (Rule r : doc.rules()) {
            ObjectNode o = rules.addObject();
            if (r.name() != null) {
                o.put("name", r.name());
            }
            if (r.description() != null && !r.description().isEmpty()) {
                o.put("description", r.description());
            }
            ObjectNode m = matchTree(r.match());
            if (!m.isEmpty()) {
                o.set("match", m);
            }
            ObjectNode a = o.putObject("action");
            if (r.action().placeOn() != null) {
                a.put("placeOn", r.action().placeOn());
            }
            if (r.action().pin() != null) {
                a.put("pin", r.action().pin());
            }
            if (r.action().exclude()) {
                a.put("exclude", true);
            }
            if (r.action().demotionWeight() != null) {
                a.put("demotionWeight", r.action().demotionWeight());
            }
            if (r.action().dramReplica()) {
                a.put("dramReplica", true);
            }
        }
        return root;
    }

    private static ObjectNode matchTree(Match m) {
        ObjectNode o = MAPPER.createObjectNode();
        if (!m.paths().isEmpty()) {
            ArrayNode p = o.putArray("paths");
            m.paths().forEach(p::add);
        }
        if (!m.size().isAny()) {
            ObjectNode s = o.putObject("size");
            if (m.size().min() != null) {
                s.put("min", Units.formatSize(m.size().min()));
            }
            if (m.size().max() != null) {
                s.put("max", Units.formatSize(m.size().max()));
            }
        }
        if (!m.uids().isEmpty()) {
            ArrayNode a = o.putArray("uid");
            m.uids().forEach(a::add);
        }
        if (!m.gids().isEmpty()) {
            ArrayNode a = o.putArray("gid");
            m.gids().forEach(a::add);
        }
        durations(o, "mtimeAge", m.mtimeAge());
        durations(o, "atimeAge", m.atimeAge());
        if (!m.heat().isAny()) {
            ObjectNode h = o.putObject("heat");
            if (m.heat().min() != null) {
                h.put("min", m.heat().min());
            }
            if (m.heat().max() != null) {
                h.put("max", m.heat().max());
            }
        }
        if (!m.accesses().isAny()) {
            ObjectNode h = o.putObject("accesses");
            if (m.accesses().min() != null) {
                h.put("min", m.accesses().min());
            }
            if (m.accesses().max() != null) {
                h.put("max", m.accesses().max());
            }
        }
        if (!m.xattrs().isEmpty()) {
            ObjectNode x = o.putObject("xattrs");
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(m.xattrs()).entrySet()) {
                x.put(e.getKey(), e.getValue());
            }
        }
        return o;
    }

    private static void durations(ObjectNode o, String field, Range r) {
        if (r.isAny()) {
            return;
        }
        ObjectNode d = o.putObject(field);
        if (r.min() != null) {
            d.put("min", Units.formatDuration(r.min()));
        }
        if (r.max() != null) {
            d.put("max", Units.formatDuration(r.max()));
        }
    }
}
