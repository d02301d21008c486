package io.tierfs.node.fsck;

/** What {@link Repairer} did for one problem: the action and its outcome ({@code error} null when it worked). */
public record Change(Problem problem, RepairAction action, String error) {
    public boolean ok() {
        return error == null;
    }

    /** One line: what was done, or why it failed. */
    public String describe() {
        return ok() ? action.describe() : "FAILED (" + action.describe() + "): " + error;
    }
}
