package io.tierfs.migration.policy.doc;

/**
 * What a rule does to the files it matches. Each field is its own decision; for each, the first matching rule
 * that sets it wins (see docs/policy.md, "Evaluation order").
 *
 * @param placeOn        tier name for new data of matching files; null = not set
 * @param pin            tier name the file must stay on (moved there, never demoted from it); null = not set
 * @param exclude        true: the policy never moves the file
 * @param demotionWeight expression text (a number is an expression too); higher = demoted earlier than files
 *                       with a lower weight on the same tier, whatever the tier's victim order; null = not set
 * @param dramReplica    true: chunks of matching files that land in lent DRAM keep a second copy on another lender,
 *                       so that closed but not yet fsynced data survives the crash of one lender (at twice the lent
 *                       memory and one more transfer per write; see docs/memory-borrow.md)
 */
public record Action(String placeOn, String pin, boolean exclude, String demotionWeight, boolean dramReplica) {
    public static final Action NONE = new Action(null, null, false, null, false);

    /** An action without {@code dramReplica}. */
    public Action(String placeOn, String pin, boolean exclude, String demotionWeight) {
        this(placeOn, pin, exclude, demotionWeight, false);
    }

    public boolean isEmpty() {
        return placeOn == null && pin == null && !exclude && demotionWeight == null && !dramReplica;
    }
}
