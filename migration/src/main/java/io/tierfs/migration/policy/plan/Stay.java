package io.tierfs.migration.policy.plan;

/** A file the planner looked at and left where it is, and why (for the dry run's explanations). */
public record Stay(long ino, int tier, Reason reason) {
}
