package io.tierfs.migration.policy.plan;

/**
 * Why the planner decided something about a file.
 *
 * @param decidedBy what decided: "watermark:TIER", "rule:NAME", "promotion:TIER", "prestage:ID", "recall",
 *                  "default"
 * @param detail    one sentence for a human, with the numbers that mattered
 */
public record Reason(String decidedBy, String detail) {
}
