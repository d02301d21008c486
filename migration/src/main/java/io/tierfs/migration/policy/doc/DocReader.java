package io.tierfs.migration.policy.doc;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks the JSON tree of a policy document field by field, noting every problem (unknown field, wrong type, bad
 * unit) with its JSON pointer and going on with a default, so that one pass reports all of them. Semantic checks
 * (ranges, cross references, globs, expressions) are {@link PolicyValidator}'s.
 */
final class DocReader {
    static final Set<String> ROOT = Set.of("version", "description", "tiers", "heat", "mover", "rules");
    static final Set<String> TIER = Set.of("name", "capacity", "highWatermark", "lowWatermark", "victimOrder",
            "victimWeight", "promotionHeat");
    static final Set<String> HEAT = Set.of("halfLife");
    static final Set<String> MOVER = Set.of("concurrency", "bandwidth");
    static final Set<String> RULE = Set.of("name", "description", "match", "action");
    static final Set<String> MATCH = Set.of("paths", "size", "uid", "gid", "mtimeAge", "atimeAge", "heat",
            "accesses", "xattrs");
    static final Set<String> ACTION = Set.of("placeOn", "pin", "exclude", "demotionWeight", "dramReplica");
    static final Set<String> RANGE = Set.of("min", "max");

    final List<Problem> problems = new ArrayList<>();

    PolicyDoc root(JsonNode n) {
        if (!n.isObject()) {
            problems.add(new Problem("", "the policy must be a JSON object, got " + kind(n)));
            return null;
        }
        fields(n, "", ROOT);
        long version = n.has("version") ? wholeNumber(n.get("version"), "/version", 0) : 0;
        String description = optString(n, "description", "");
        List<TierPolicy> tiers = new ArrayList<>();
        if (!n.has("tiers")) {
            problems.add(new Problem("/tiers", "required: the tiers, fastest first"));
        } else if (!n.get("tiers").isArray()) {
            problems.add(new Problem("/tiers", "must be an array of tiers, got " + kind(n.get("tiers"))));
        } else {
            int i = 0;
            for (JsonNode t : n.get("tiers")) {
                TierPolicy tp = tier(t, "/tiers/" + i++);
                if (tp != null) {
                    tiers.add(tp);
                }
            }
        }
        HeatSettings heat = HeatSettings.DEFAULT;
        if (n.has("heat") && object(n.get("heat"), "/heat", HEAT)) {
            JsonNode h = n.get("heat");
            heat = new HeatSettings(h.has("halfLife") ? duration(h.get("halfLife"), "/heat/halfLife",
                    HeatSettings.DEFAULT.halfLifeMillis()) : HeatSettings.DEFAULT.halfLifeMillis());
        }
        MoverSettings mover = MoverSettings.DEFAULT;
        if (n.has("mover") && object(n.get("mover"), "/mover", MOVER)) {
            JsonNode m = n.get("mover");
            long conc = m.has("concurrency") ? wholeNumber(m.get("concurrency"), "/mover/concurrency",
                    MoverSettings.DEFAULT.concurrency()) : MoverSettings.DEFAULT.concurrency();
            long bw = m.has("bandwidth") ? size(m.get("bandwidth"), "/mover/bandwidth", 0) : 0;
            mover = new MoverSettings((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, conc)), bw);
        }
        List<Rule> rules = new ArrayList<>();
        if (n.has("rules")) {
            if (!n.get("rules").isArray()) {
                problems.add(new Problem("/rules", "must be an array of rules, got " + kind(n.get("rules"))));
            } else {
                int i = 0;
                for (JsonNode r : n.get("rules")) {
                    Rule rule = rule(r, "/rules/" + i++);
                    if (rule != null) {
                        rules.add(rule);
                    }
                }
            }
        }
        return new PolicyDoc(version, description, tiers, heat, mover, rules);
    }

    private TierPolicy tier(JsonNode t, String at) {
        if (!object(t, at, TIER)) {
            return null;
        }
        String name = t.has("name") ? string(t.get("name"), at + "/name", "") : "";
        if (!t.has("name")) {
            problems.add(new Problem(at + "/name", "required: the tier's name"));
        }
        Long cap = null;
        if (t.has("capacity") && !t.get("capacity").isNull()) {
            JsonNode c = t.get("capacity");
            if (!(c.isTextual() && c.asText().equals("auto"))) {
                cap = size(c, at + "/capacity", null);
            }
        }
        double high = t.has("highWatermark") ? fraction(t.get("highWatermark"), at + "/highWatermark",
                TierPolicy.DEFAULT_HIGH) : TierPolicy.DEFAULT_HIGH;
        double low = t.has("lowWatermark") ? fraction(t.get("lowWatermark"), at + "/lowWatermark",
                TierPolicy.DEFAULT_LOW) : TierPolicy.DEFAULT_LOW;
        OrderKind order = OrderKind.LRU;
        if (t.has("victimOrder")) {
            String s = string(t.get("victimOrder"), at + "/victimOrder", "lru");
            order = OrderKind.byJsonName(s).orElse(null);
            if (order == null) {
                problems.add(new Problem(at + "/victimOrder", "unknown victim order '" + s + "' (known: "
                        + OrderKind.known() + ")"));
                order = OrderKind.LRU;
            }
        }
        String weight = t.has("victimWeight") ? expression(t.get("victimWeight"), at + "/victimWeight") : null;
        Double promo = t.has("promotionHeat") && !t.get("promotionHeat").isNull()
                ? number(t.get("promotionHeat"), at + "/promotionHeat") : null;
        return new TierPolicy(name, cap, high, low, order, weight, promo);
    }

    private Rule rule(JsonNode r, String at) {
        if (!object(r, at, RULE)) {
            return null;
        }
        String name = optString(r, "name", null, at);
        String description = optString(r, "description", "", at);
        Match match = Match.ALL;
        if (r.has("match") && object(r.get("match"), at + "/match", MATCH)) {
            match = match(r.get("match"), at + "/match");
        }
        Action action = Action.NONE;
        if (!r.has("action")) {
            problems.add(new Problem(at + "/action", "required: what the rule does (placeOn, pin, exclude, "
                    + "demotionWeight, dramReplica)"));
        } else if (object(r.get("action"), at + "/action", ACTION)) {
            action = action(r.get("action"), at + "/action");
        }
        return new Rule(name, description, match, action);
    }

    private Match match(JsonNode m, String at) {
        List<String> paths = new ArrayList<>();
        if (m.has("paths")) {
            JsonNode p = m.get("paths");
            if (p.isTextual()) {
                paths.add(p.asText());
            } else if (p.isArray()) {
                int i = 0;
                for (JsonNode e : p) {
                    String s = string(e, at + "/paths/" + i++, null);
                    if (s != null) {
                        paths.add(s);
                    }
                }
            } else {
                problems.add(new Problem(at + "/paths", "must be a glob or an array of globs, got " + kind(p)));
            }
        }
        Range size = m.has("size") ? range(m.get("size"), at + "/size", true) : Range.ANY;
        List<Long> uids = ids(m, "uid", at);
        List<Long> gids = ids(m, "gid", at);
        Range mAge = m.has("mtimeAge") ? range(m.get("mtimeAge"), at + "/mtimeAge", false) : Range.ANY;
        Range aAge = m.has("atimeAge") ? range(m.get("atimeAge"), at + "/atimeAge", false) : Range.ANY;
        DoubleRange heat = DoubleRange.ANY;
        if (m.has("heat") && object(m.get("heat"), at + "/heat", RANGE)) {
            JsonNode h = m.get("heat");
            heat = new DoubleRange(h.has("min") ? number(h.get("min"), at + "/heat/min") : null,
                    h.has("max") ? number(h.get("max"), at + "/heat/max") : null);
        }
        Range acc = Range.ANY;
        if (m.has("accesses") && object(m.get("accesses"), at + "/accesses", RANGE)) {
            JsonNode a = m.get("accesses");
            acc = new Range(a.has("min") ? wholeNumber(a.get("min"), at + "/accesses/min", null) : null,
                    a.has("max") ? wholeNumber(a.get("max"), at + "/accesses/max", null) : null);
        }
        Map<String, String> xattrs = new LinkedHashMap<>();
        if (m.has("xattrs")) {
            JsonNode x = m.get("xattrs");
            if (!x.isObject()) {
                problems.add(new Problem(at + "/xattrs", "must be an object of attribute name to value pattern, got "
                        + kind(x)));
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = x.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String v = string(e.getValue(), at + "/xattrs/" + pointerEscape(e.getKey()), null);
                    if (v != null) {
                        xattrs.put(e.getKey(), v);
                    }
                }
            }
        }
        return new Match(paths, size, uids, gids, mAge, aAge, heat, acc, xattrs);
    }

    private List<Long> ids(JsonNode m, String field, String at) {
        List<Long> out = new ArrayList<>();
        if (!m.has(field)) {
            return out;
        }
        JsonNode v = m.get(field);
        if (v.isArray()) {
            int i = 0;
            for (JsonNode e : v) {
                Long id = wholeNumber(e, at + "/" + field + "/" + i++, null);
                if (id != null) {
                    out.add(id);
                }
            }
        } else {
            Long id = wholeNumber(v, at + "/" + field, null);
            if (id != null) {
                out.add(id);
            }
        }
        return out;
    }

    private Action action(JsonNode a, String at) {
        String placeOn = optString(a, "placeOn", null, at);
        String pin = optString(a, "pin", null, at);
        boolean exclude = flag(a, "exclude", at);
        String weight = a.has("demotionWeight") ? expression(a.get("demotionWeight"), at + "/demotionWeight") : null;
        boolean dramReplica = flag(a, "dramReplica", at);
        return new Action(placeOn, pin, exclude, weight, dramReplica);
    }

    /** An optional boolean field (false when absent); anything but true/false is a problem. */
    private boolean flag(JsonNode a, String field, String at) {
        if (!a.has(field)) {
            return false;
        }
        if (a.get(field).isBoolean()) {
            return a.get(field).asBoolean();
        }
        problems.add(new Problem(at + "/" + field, "must be true or false, got " + kind(a.get(field))));
        return false;
    }

    private Range range(JsonNode r, String at, boolean sizes) {
        if (!object(r, at, RANGE)) {
            return Range.ANY;
        }
        Long min = r.has("min") ? (sizes ? size(r.get("min"), at + "/min", null)
                : duration(r.get("min"), at + "/min", null)) : null;
        Long max = r.has("max") ? (sizes ? size(r.get("max"), at + "/max", null)
                : duration(r.get("max"), at + "/max", null)) : null;
        return new Range(min, max);
    }

    // ---- scalar readers: report and return the fallback on a problem ----

    /** True if {@code n} is an object; reports every unknown field in it. */
    boolean object(JsonNode n, String at, Set<String> known) {
        if (!n.isObject()) {
            problems.add(new Problem(at, "must be an object, got " + kind(n)));
            return false;
        }
        fields(n, at, known);
        return true;
    }

    private void fields(JsonNode n, String at, Set<String> known) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                problems.add(new Problem(at + "/" + pointerEscape(f), "unknown field '" + f + "' (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")"));
            }
        }
    }

    private String optString(JsonNode n, String field, String fallback) {
        return optString(n, field, fallback, "");
    }

    private String optString(JsonNode n, String field, String fallback, String at) {
        if (!n.has(field) || n.get(field).isNull()) {
            return fallback;
        }
        return string(n.get(field), at + "/" + field, fallback);
    }

    private String string(JsonNode n, String at, String fallback) {
        if (!n.isTextual()) {
            problems.add(new Problem(at, "must be a string, got " + kind(n)));
            return fallback;
        }
        return n.asText();
    }

    private String expression(JsonNode n, String at) {
        if (n.isNumber()) {
            return n.asText();
        }
        if (n.isTextual()) {
            return n.asText();
        }
        problems.add(new Problem(at, "must be an expression string or a number, got " + kind(n)));
        return null;
    }

    private Long wholeNumber(JsonNode n, String at, Long fallback) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        problems.add(new Problem(at, "must be a whole number, got " + kind(n)));
        return fallback;
    }

    private long wholeNumber(JsonNode n, String at, long fallback) {
        Long v = wholeNumber(n, at, (Long) null);
        return v == null ? fallback : v;
    }

    private Double number(JsonNode n, String at) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        problems.add(new Problem(at, "must be a number, got " + kind(n)));
        return null;
    }

    private double fraction(JsonNode n, String at, double fallback) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual() && n.asText().trim().endsWith("%")) {
            String s = n.asText().trim();
            try {
                return Double.parseDouble(s.substring(0, s.length() - 1).trim()) / 100.0;
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(new Problem(at, "must be a fraction of capacity (0.9) or a percentage (\"90%\"), got "
                + kind(n)));
        return fallback;
    }

    private Long size(JsonNode n, String at, Long fallback) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return Units.parseSize(n.asText());
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(at, e.getMessage()));
                return fallback;
            }
        }
        problems.add(new Problem(at, "must be a size: a whole number of bytes or a string such as \"512MiB\", got "
                + kind(n)));
        return fallback;
    }

    private long size(JsonNode n, String at, long fallback) {
        Long v = size(n, at, (Long) null);
        return v == null ? fallback : v;
    }

    private Long duration(JsonNode n, String at, Long fallback) {
        if (n.isNumber()) {
            double ms = n.asDouble() * 1000;
            if (Math.abs(ms) < 9.2e18) {
                return Math.round(ms);
            }
        } else if (n.isTextual()) {
            try {
                return Units.parseDuration(n.asText());
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(at, e.getMessage()));
                return fallback;
            }
        }
        problems.add(new Problem(at, "must be a duration: seconds or a string such as \"30s\", \"2h\", \"7d\", got "
                + kind(n)));
        return fallback;
    }

    private long duration(JsonNode n, String at, long fallback) {
        Long v = duration(n, at, (Long) null);
        return v == null ? fallback : v;
    }

    static String kind(JsonNode n) {
        if (n.isTextual()) {
            String s = n.asText();
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (n.isNumber() || n.isBoolean() || n.isNull()) {
            return n.asText();
        }
        return n.isArray() ? "an array" : "an object";
    }

    static String pointerEscape(String s) {
        return s.replace("~", "~0").replace("/", "~1");
    }
}
