package io.tierfs.migration.policy.doc;

/** A named rule: which files ({@link Match}) and what to do with them ({@link Action}). */
public record Rule(String name, String description, Match match, Action action) {
}
