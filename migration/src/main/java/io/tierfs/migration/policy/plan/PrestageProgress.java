package io.tierfs.migration.policy.plan;

/**
 * Bookkeeping of one pre-stage request: what matched, what is already there, what is planned, what cannot move.
 * A pure value: the planner computes it, the live mover advances it with {@link #moved} as moves finish.
 *
 * @param estimatedFinishMillis when the planned moves should be done at the known mover rate; -1 = unknown
 */
public record PrestageProgress(String id, PrestageState state, int filesMatched, int filesDone, int filesPlanned,
                               int filesBlocked, long bytesMatched, long bytesDone, long bytesPlanned,
                               long bytesBlocked, long deadlineMillis, long estimatedFinishMillis) {

    /** Fraction of the matched bytes already on the target tier (1.0 when nothing matched). */
    public double fractionDone() {
        return bytesMatched == 0 ? 1.0 : (double) bytesDone / bytesMatched;
    }

    /** The progress after one planned move of {@code bytes} finished at {@code nowMillis}. */
    public PrestageProgress moved(long bytes, long nowMillis) {
        int planned = Math.max(0, filesPlanned - 1);
        long bytesLeft = Math.max(0, bytesPlanned - bytes);
        return new PrestageProgress(id, null, filesMatched, filesDone + 1, planned, filesBlocked, bytesMatched,
                bytesDone + bytes, bytesLeft, bytesBlocked, deadlineMillis, estimatedFinishMillis)
                .withState(nowMillis);
    }

    /** This progress with its state computed for {@code nowMillis}. */
    public PrestageProgress withState(long nowMillis) {
        return new PrestageProgress(id, stateAt(nowMillis), filesMatched, filesDone, filesPlanned, filesBlocked,
                bytesMatched, bytesDone, bytesPlanned, bytesBlocked, deadlineMillis, estimatedFinishMillis);
    }

    private PrestageState stateAt(long nowMillis) {
        if (filesMatched == 0) {
            return PrestageState.NOTHING_MATCHED;
        }
        if (filesDone == filesMatched) {
            return PrestageState.DONE;
        }
        if (nowMillis > deadlineMillis) {
            return PrestageState.LATE;
        }
        if (filesPlanned == 0) {
            return PrestageState.BLOCKED;
        }
        if (estimatedFinishMillis >= 0 && estimatedFinishMillis > deadlineMillis) {
            return PrestageState.AT_RISK;
        }
        return PrestageState.ON_TRACK;
    }
}
