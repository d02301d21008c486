package io.tierfs.migration.policy;

import java.util.List;

/**
 * What the rules say about one file at one moment. Each aspect names the rule that decided it (null when no rule
 * did and the default holds), so that a dry run can say why.
 *
 * @param residency      free, pinned or excluded
 * @param pinTier        the tier it is pinned to; -1 unless pinned
 * @param residencyRule  the rule that pinned or excluded it
 * @param weight         demotion weight (default 0): higher is demoted earlier
 * @param weightRule     the rule that set the weight
 * @param placement      where new data goes; null = the engine's default (fastest tier with room)
 * @param heat           the file's heat at decision time
 * @param matchedRules   every rule that matched, in document order
 */
public record FileDecision(Residency residency, int pinTier, String residencyRule, double weight, String weightRule,
                           Placement placement, double heat, List<String> matchedRules) {
    public FileDecision {
        matchedRules = List.copyOf(matchedRules);
    }
}
