package io.tierfs.migration.policy.doc;

import io.tierfs.migration.policy.expr.ExprSyntaxException;
import io.tierfs.migration.policy.expr.Expression;
import io.tierfs.migration.policy.glob.Glob;
import io.tierfs.migration.policy.glob.GlobSyntaxException;
import io.tierfs.migration.policy.glob.ValuePattern;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The semantic checks of a policy document: watermarks, sizes, cross references to tiers, globs and expressions.
 * Returns every problem; an empty list means {@code Policy.compile} will succeed.
 */
public final class PolicyValidator {
    /** Prefix every matched extended attribute must have: rules read TierFS's own attributes only. */
    public static final String XATTR_PREFIX = "user.tierfs.";
    private static final Pattern TIER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final int MAX_RULES = 1000;
    private static final int MAX_CONCURRENCY = 1024;

    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> skip;

    private PolicyValidator(Set<String> skip) {
        this.skip = skip;
    }

    /** Every semantic problem of {@code doc}. */
    public static List<Problem> validate(PolicyDoc doc) {
        return validate(doc, Set.of());
    }

    /**
     * As {@link #validate(PolicyDoc)}, but without the problems at locations in {@code alreadyReported} (the
     * reader reported them and put a default in their place).
     */
    public static List<Problem> validate(PolicyDoc doc, Set<String> alreadyReported) {
        PolicyValidator v = new PolicyValidator(alreadyReported);
        v.check(doc);
        return List.copyOf(v.problems);
    }

    /**
     * Problems when the document's tiers are not the node's tiers (same names, same order, fastest first): the
     * policy must describe the tiers that exist.
     */
    public static List<Problem> checkAgainst(PolicyDoc doc, List<String> liveTiers) {
        List<String> names = doc.tiers().stream().map(TierPolicy::name).toList();
        if (names.equals(liveTiers)) {
            return List.of();
        }
        List<Problem> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (!liveTiers.contains(names.get(i))) {
                out.add(new Problem("/tiers/" + i + "/name", "unknown tier '" + names.get(i)
                        + "': this node's tiers are " + liveTiers));
            }
        }
        if (out.isEmpty()) {
            out.add(new Problem("/tiers", "the tiers must be this node's tiers, fastest first: " + liveTiers
                    + ", got " + names));
        }
        return out;
    }

    private void add(String at, String message) {
        if (!skip.contains(at)) {
            problems.add(new Problem(at, message));
        }
    }

    private boolean reportedUnder(String at) {
        return skip.stream().anyMatch(s -> s.equals(at) || s.startsWith(at + "/"));
    }

    private void check(PolicyDoc doc) {
        if (doc.version() < 0) {
            add("/version", "must not be negative, got " + doc.version());
        }
        if (doc.tiers().isEmpty() && !skip.contains("/tiers")) {
            add("/tiers", "at least one tier is needed");
        }
        Map<String, Integer> tierIndex = new LinkedHashMap<>();
        for (int i = 0; i < doc.tiers().size(); i++) {
            tier(doc.tiers().get(i), "/tiers/" + i, i == doc.tiers().size() - 1, tierIndex, i);
        }
        if (doc.heat().halfLifeMillis() <= 0) {
            add("/heat/halfLife", "must be positive, got " + Units.formatDuration(doc.heat().halfLifeMillis()));
        }
        int c = doc.mover().concurrency();
        if (c < 1 || c > MAX_CONCURRENCY) {
            add("/mover/concurrency", "must be from 1 to " + MAX_CONCURRENCY + ", got " + c);
        }
        if (doc.mover().bandwidthBytesPerSecond() < 0) {
            add("/mover/bandwidth", "must not be negative (0 = unlimited), got " + doc.mover().bandwidthBytesPerSecond());
        }
        if (doc.rules().size() > MAX_RULES) {
            add("/rules", "at most " + MAX_RULES + " rules, got " + doc.rules().size());
        }
        Map<String, Integer> ruleNames = new HashMap<>();
        for (int i = 0; i < doc.rules().size(); i++) {
            rule(doc.rules().get(i), "/rules/" + i, tierIndex, ruleNames, i);
        }
    }

    private void tier(TierPolicy t, String at, boolean slowest, Map<String, Integer> index, int i) {
        if (t.name() == null || !TIER_NAME.matcher(t.name()).matches()) {
            if (!skip.contains(at + "/name")) {
                add(at + "/name", "a tier name is 1-64 letters, digits, '_', '.' or '-', got '" + t.name() + "'");
            }
        } else if (index.putIfAbsent(t.name(), i) != null) {
            add(at + "/name", "duplicate tier '" + t.name() + "' (also /tiers/" + index.get(t.name()) + ")");
        }
        if (t.capacityBytes() != null) {
            if (t.capacityBytes() < 0) {
                add(at + "/capacity", "must not be negative, got " + t.capacityBytes());
            } else if (t.capacityBytes() == 0) {
                add(at + "/capacity", "must be positive (leave it out for the tier's configured capacity)");
            }
        }
        boolean highOk = watermark(t.highWatermark(), at + "/highWatermark", "high");
        boolean lowOk = watermark(t.lowWatermark(), at + "/lowWatermark", "low");
        if (highOk && lowOk && !skip.contains(at + "/highWatermark") && !skip.contains(at + "/lowWatermark")
                && t.lowWatermark() >= t.highWatermark()) {
            add(at + "/lowWatermark", "low watermark " + pct(t.lowWatermark()) + " must be below the high watermark "
                    + pct(t.highWatermark()));
        }
        if (t.victimOrder() == OrderKind.WEIGHT) {
            if (t.victimWeight() == null) {
                if (!skip.contains(at + "/victimWeight")) {
                    add(at + "/victimWeight", "required when victimOrder is 'weight'");
                }
            } else {
                expression(t.victimWeight(), at + "/victimWeight");
            }
        } else if (t.victimWeight() != null) {
            add(at + "/victimWeight", "only used with victimOrder 'weight' (this tier's order is '"
                    + t.victimOrder().jsonName() + "')");
        }
        if (t.promotionHeat() != null) {
            if (!(t.promotionHeat() > 0) || t.promotionHeat().isInfinite()) {
                add(at + "/promotionHeat", "must be a positive number, got " + t.promotionHeat());
            } else if (slowest) {
                add(at + "/promotionHeat", "the slowest tier has no slower tier to promote from");
            }
        }
    }

    private boolean watermark(double w, String at, String which) {
        if (Double.isNaN(w) || w < 0) {
            add(at, "the " + which + " watermark must not be negative, got " + pct(w));
            return false;
        }
        if (w > 1.0) {
            add(at, "the " + which + " watermark must not be over 100%, got " + pct(w));
            return false;
        }
        if (w == 0 && which.equals("high")) {
            add(at, "the high watermark must be above 0%");
            return false;
        }
        return true;
    }

    private void rule(Rule r, String at, Map<String, Integer> tiers, Map<String, Integer> names, int i) {
        if (r.name() != null) {
            if (r.name().isBlank()) {
                add(at + "/name", "must not be blank (leave it out for a generated name)");
            } else if (names.putIfAbsent(r.name(), i) != null) {
                add(at + "/name", "duplicate rule name '" + r.name() + "' (also /rules/" + names.get(r.name()) + ")");
            }
        }
        match(r.match(), at + "/match");
        Action a = r.action();
        if (a.isEmpty() && !reportedUnder(at + "/action")) {
            add(at + "/action", "a rule needs at least one action: placeOn, pin, exclude, demotionWeight or dramReplica");
        }
        if (a.placeOn() != null) {
            tierRef(a.placeOn(), at + "/action/placeOn", tiers);
        }
        if (a.pin() != null) {
            tierRef(a.pin(), at + "/action/pin", tiers);
            if (a.exclude()) {
                add(at + "/action", "pin and exclude contradict each other: pin moves the file to its tier, "
                        + "exclude never moves it");
            }
        }
        if (a.demotionWeight() != null) {
            expression(a.demotionWeight(), at + "/action/demotionWeight");
        }
    }

    private void match(Match m, String at) {
        for (int i = 0; i < m.paths().size(); i++) {
            try {
                Glob.compile(m.paths().get(i));
            } catch (GlobSyntaxException e) {
                add(at + "/paths/" + i, "bad glob '" + m.paths().get(i) + "': " + e.getMessage());
            }
        }
        range(m.size(), at + "/size", "size");
        for (int i = 0; i < m.uids().size(); i++) {
            id(m.uids().get(i), m.uids().size() == 1 ? at + "/uid" : at + "/uid/" + i);
        }
        for (int i = 0; i < m.gids().size(); i++) {
            id(m.gids().get(i), m.gids().size() == 1 ? at + "/gid" : at + "/gid/" + i);
        }
        range(m.mtimeAge(), at + "/mtimeAge", "age");
        range(m.atimeAge(), at + "/atimeAge", "age");
        range(m.accesses(), at + "/accesses", "access count");
        Double hmin = m.heat().min();
        Double hmax = m.heat().max();
        if (hmin != null && hmin < 0) {
            add(at + "/heat/min", "heat must not be negative, got " + hmin);
        }
        if (hmax != null && hmax < 0) {
            add(at + "/heat/max", "heat must not be negative, got " + hmax);
        }
        if (hmin != null && hmax != null && hmin >= hmax) {
            add(at + "/heat", "min " + hmin + " must be below max " + hmax + " (min <= heat < max)");
        }
        for (Map.Entry<String, String> e : m.xattrs().entrySet()) {
            String where = at + "/xattrs/" + DocReader.pointerEscape(e.getKey());
            if (!e.getKey().startsWith(XATTR_PREFIX) || e.getKey().length() == XATTR_PREFIX.length()) {
                add(where, "rules match TierFS attributes only: the name must start with '" + XATTR_PREFIX
                        + "', got '" + e.getKey() + "'");
            }
            try {
                ValuePattern.compile(e.getValue());
            } catch (GlobSyntaxException ex) {
                add(where, "bad value pattern '" + e.getValue() + "': " + ex.getMessage());
            }
        }
    }

    private void id(long id, String at) {
        if (id < 0 || id > 0xFFFF_FFFFL) {
            add(at, "an id is from 0 to 4294967295, got " + id);
        }
    }

    private void range(Range r, String at, String what) {
        boolean ok = true;
        if (r.min() != null && r.min() < 0) {
            add(at + "/min", what + " must not be negative, got " + r.min());
            ok = false;
        }
        if (r.max() != null && r.max() < 0) {
            add(at + "/max", what + " must not be negative, got " + r.max());
            ok = false;
        }
        if (ok && r.min() != null && r.max() != null && r.min() >= r.max()) {
            add(at, "min " + r.min() + " must be below max " + r.max() + " (min <= value < max)");
        }
    }

    private void tierRef(String name, String at, Map<String, Integer> tiers) {
        if (!tiers.containsKey(name)) {
            add(at, "unknown tier '" + name + "' (tiers: " + String.join(", ", tiers.keySet()) + ")");
        }
    }

    private void expression(String text, String at) {
        try {
            Expression.compile(text);
        } catch (ExprSyntaxException e) {
            add(at, "bad expression '" + abbreviate(text) + "': " + e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static String pct(double w) {
        double p = w * 100;
        return (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)) + "%";
    }
}
