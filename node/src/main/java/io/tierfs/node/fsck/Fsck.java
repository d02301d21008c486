package io.tierfs.node.fsck;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** One fsck run on an opened {@link OfflineNode}: check, and with {@code repair} carry out the safe repairs. */
public final class Fsck {
    /** How long the check waits for recovery to finish the pending directory renames it found. */
    public static final Duration RENAME_WAIT = Duration.ofSeconds(30);

    private Fsck() {
    }

    public static FsckReport run(OfflineNode node, boolean repair, FsckProgress progress, Clock clock) {
        FsckReport report = NamespaceChecker.check(node.source(), node.data(), progress, clock, RENAME_WAIT);
        if (!repair) {
            return report;
        }
        long t0 = clock.millis();
        List<Change> changes = Repairer.repair(report.problems(), node.repairTarget(), progress);
        return report.withChanges(changes, clock.millis() - t0);
    }
}
