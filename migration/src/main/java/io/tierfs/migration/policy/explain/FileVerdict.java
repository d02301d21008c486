package io.tierfs.migration.policy.explain;

import java.util.List;

/**
 * What a dry run says about one file: where it is, what would happen to it and why. Plain strings and numbers so
 * that the REST layer serialises it as is.
 *
 * @param action        "stay", "demote", "promote", "prestage"
 * @param toTier        destination tier name; null when the file stays
 * @param decidedBy     "watermark:TIER", "rule:NAME", "promotion:TIER", "prestage:ID" or "default"
 * @param reason        one sentence with the numbers that mattered
 * @param residency     "free", "pinned" or "excluded"
 * @param placement     tier for new data of this file by the rules; null = engine default
 * @param matchedRules  every rule that matched, in document order
 */
public record FileVerdict(long ino, String path, String tier, long bytes, String action, String toTier,
                          String decidedBy, String reason, String residency, double heat, double weight,
                          String placement, List<String> matchedRules) {
    public FileVerdict {
        matchedRules = List.copyOf(matchedRules);
    }
}
