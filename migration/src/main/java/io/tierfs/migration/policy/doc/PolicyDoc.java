package io.tierfs.migration.policy.doc;

import java.util.List;

/**
 * The policy document as written (JSON over REST or a file), before compilation. Immutable. {@code version} is
 * the version the author started from: applying it succeeds only if it is still the current one (optimistic
 * concurrency), and the applied document then gets {@code version + 1}.
 */
public record PolicyDoc(long version, String description, List<TierPolicy> tiers, HeatSettings heat,
                        MoverSettings mover, List<Rule> rules) {

    public PolicyDoc {
        tiers = List.copyOf(tiers);
        rules = List.copyOf(rules);
    }

    public PolicyDoc withVersion(long v) {
        return new PolicyDoc(v, description, tiers, heat, mover, rules);
    }
}
