package io.tierfs.migration.policy;

/** Where new data of a file goes, and the rule that said so. */
public record Placement(int tier, String tierName, String rule) {
}
