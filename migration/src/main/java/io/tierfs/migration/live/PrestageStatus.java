package io.tierfs.migration.live;

import io.tierfs.migration.policy.plan.PrestageProgress;

import java.util.List;

/**
 * A pre-stage request as the live mover tracks it: the request, its latest progress, and whether it was cancelled.
 *
 * @param state NOTHING_MATCHED, DONE, ON_TRACK, AT_RISK, LATE, BLOCKED (see PrestageState), PENDING before the first
 *              planning round, or CANCELLED
 */
public record PrestageStatus(String id, List<String> paths, String targetTier, long deadlineMillis,
                             long createdMillis, String state, int filesMatched, int filesDone, int filesPlanned,
                             int filesBlocked, long bytesMatched, long bytesDone, long bytesPlanned,
                             long bytesBlocked, long estimatedFinishMillis, double fractionDone) {

    static PrestageStatus of(PrestageJob j) {
        PrestageProgress p = j.progress();
        String state = j.cancelled() ? "CANCELLED" : p == null ? "PENDING" : p.state().name();
        if (p == null) {
            return new PrestageStatus(j.request().id(), j.request().paths(), j.request().targetTier(),
                    j.request().deadlineMillis(), j.createdMillis(), state, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0);
        }
        return new PrestageStatus(j.request().id(), j.request().paths(), j.request().targetTier(),
                j.request().deadlineMillis(), j.createdMillis(), state, p.filesMatched(), p.filesDone(),
                p.filesPlanned(), p.filesBlocked(), p.bytesMatched(), p.bytesDone(), p.bytesPlanned(),
                p.bytesBlocked(), p.estimatedFinishMillis(), p.fractionDone());
    }

    public boolean finished() {
        return switch (state) {
            case "DONE", "CANCELLED", "NOTHING_MATCHED", "LATE" -> true;
            default -> false;
        };
    }
}
