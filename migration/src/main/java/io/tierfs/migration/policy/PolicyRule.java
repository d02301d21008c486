package io.tierfs.migration.policy;

import io.tierfs.migration.policy.doc.Match;
import io.tierfs.migration.policy.doc.Rule;
import io.tierfs.migration.policy.expr.Expression;
import io.tierfs.migration.policy.glob.Glob;
import io.tierfs.migration.policy.glob.ValuePattern;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rule compiled once: globs, value patterns and the weight expression are ready, so matching a file costs no
 * parsing. Criteria are ANDed; inside a list (paths, uids, gids) any element matches.
 */
public final class PolicyRule {
    private final String name;
    private final Rule source;
    private final List<Glob> paths;
    private final Set<Long> uids;
    private final Set<Long> gids;
    private final Map<String, ValuePattern> xattrs;
    private final int placeOn;
    private final int pin;
    private final Expression weight;

    PolicyRule(String name, Rule source, int placeOn, int pin) {
        this.name = name;
        this.source = source;
        Match m = source.match();
        this.paths = m.paths().stream().map(Glob::compile).toList();
        this.uids = new HashSet<>(m.uids());
        this.gids = new HashSet<>(m.gids());
        Map<String, ValuePattern> x = new LinkedHashMap<>();
        m.xattrs().forEach((k, v) -> x.put(k, ValuePattern.compile(v)));
        this.xattrs = x;
        this.placeOn = placeOn;
        this.pin = pin;
        String w = source.action().demotionWeight();
        this.weight = w == null ? null : Expression.compile(w);
    }

    public String name() {
        return name;
    }

    public Rule source() {
        return source;
    }

    /** True if every criterion of the rule holds for {@code f} at {@code nowMillis}. */
    public boolean matches(FileInfo f, long nowMillis, long halfLifeMillis) {
        Match m = source.match();
        if (!paths.isEmpty() && paths.stream().noneMatch(g -> g.matches(f.path()))) {
            return false;
        }
        if (!m.size().contains(f.size())) {
            return false;
        }
        if (!uids.isEmpty() && !uids.contains(f.uid())) {
            return false;
        }
        if (!gids.isEmpty() && !gids.contains(f.gid())) {
            return false;
        }
        if (!m.mtimeAge().contains(Math.max(0, nowMillis - f.mtimeMillis()))) {
            return false;
        }
        if (!m.atimeAge().contains(Math.max(0, nowMillis - f.atimeMillis()))) {
            return false;
        }
        if (!m.accesses().contains(f.accesses())) {
            return false;
        }
        if (!m.heat().isAny() && !m.heat().contains(f.heat().valueAt(nowMillis, halfLifeMillis))) {
            return false;
        }
        for (Map.Entry<String, ValuePattern> e : xattrs.entrySet()) {
            if (!e.getValue().matches(f.xattrs().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Tier index for new data, or -1 if this rule does not place. */
    public int placeOn() {
        return placeOn;
    }

    /** Tier index the file is pinned to, or -1. */
    public int pin() {
        return pin;
    }

    public boolean excludes() {
        return source.action().exclude();
    }

    /** The demotion weight expression, or null. */
    public Expression weight() {
        return weight;
    }
}
