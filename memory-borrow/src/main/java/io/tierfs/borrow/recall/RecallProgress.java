package io.tierfs.borrow.recall;

import io.tierfs.borrow.ByteSizes;
import io.tierfs.borrow.lender.ReleaseStats;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The accounting of one running recall on the borrower's side: steps and bytes done per action, failures, time
 * against the deadline. Pure (times are passed in); thread-safe, so that steps run in parallel may report here.
 */
public final class RecallProgress {
    private final String lender;
    private final Instant startedAt;
    private final Instant deadline;
    private final Map<RecallStep.Action, Long> bytesDone = new EnumMap<>(RecallStep.Action.class);
    private RecallPlan plan;
    private int stepsTotal;
    private long plannedBytes;
    private int stepsDone;
    private int failures;
    private String lastFailure;
    private Instant finishedAt;

    public RecallProgress(RecallPlan plan, Instant startedAt, Instant deadline) {
        this.lender = plan.lender();
        this.plan = plan;
        this.startedAt = startedAt;
        this.deadline = deadline;
        this.stepsTotal = plan.steps().size();
        this.plannedBytes = plan.totalBytes();
        for (RecallStep.Action a : RecallStep.Action.values()) {
            bytesDone.put(a, 0L);
        }
    }

    /** A recall of {@code plan} starting at {@code now}, due {@code deadline} later. */
    public static RecallProgress start(RecallPlan plan, Instant now, Duration deadline) {
        return new RecallProgress(plan, now, now.plus(deadline));
    }

    /** Step {@code s} of the plan is done; marks the recall finished at {@code now} when it was the last one. */
    public synchronized void stepDone(RecallStep s, Instant now) {
        if (stepsDone >= stepsTotal) {
            throw new IllegalStateException("recall of " + lender + ": more steps reported done than planned ("
                    + stepsTotal + ")");
        }
        stepsDone++;
        bytesDone.merge(s.action(), s.bytes(), Long::sum);
        if (finished()) {
            finishedAt = now;
        }
    }

    /** Step {@code s} failed (it stays to be re-planned): counted, and the reason kept for the summary. */
    public synchronized void stepFailed(RecallStep s, String why) {
        failures++;
        lastFailure = s.action() + " of chunk " + s.chunk() + ": " + why;
    }

    /**
     * The borrower planned again (after failures, or when room appeared): the remaining steps are those of
     * {@code remaining}, which covers the chunks not yet done.
     */
    public synchronized void replanned(RecallPlan remaining, Instant now) {
        plan = remaining;
        stepsTotal = stepsDone + remaining.steps().size();
        plannedBytes = bytesDone() + remaining.totalBytes();
        if (finished()) {
            finishedAt = now;
        }
    }

    /** Every planned step is done and nothing is unplaceable: the lease can be released. */
    public synchronized boolean finished() {
        return stepsDone == stepsTotal && plan.complete();
    }

    public synchronized boolean overdue(Instant now) {
        return !finished() && now.isAfter(deadline);
    }

    /** From the start to now, or to the end if finished. */
    public synchronized Duration elapsed(Instant now) {
        return Duration.between(startedAt, finishedAt != null ? finishedAt : now);
    }

    public synchronized int stepsDone() {
        return stepsDone;
    }

    public synchronized int stepsTotal() {
        return stepsTotal;
    }

    public synchronized long bytesDone(RecallStep.Action action) {
        return bytesDone.get(action);
    }

    public synchronized long bytesDone() {
        return bytesDone.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    public Instant deadline() {
        return deadline;
    }

    /** What to report to the lender with the release. */
    public synchronized ReleaseStats toReleaseStats() {
        return new ReleaseStats(bytesDone.get(RecallStep.Action.DROP), bytesDone.get(RecallStep.Action.FLUSH_DOWN),
                bytesDone.get(RecallStep.Action.MOVE_TO_LENDER), bytesDone.get(RecallStep.Action.PROMOTE_REPLICA),
                stepsDone, failures);
    }

    /**
     * One line, e.g. "recall of node-b: 256 MiB in 1.8 s (deadline 30 s): 200 MiB clean dropped, 56 MiB flushed,
     * 0 B moved"; while running "... 100 MiB of 256 MiB so far in ..."; with the unplaceable reason and OVERDUE
     * when they apply.
     */
    public synchronized String summary(Instant now) {
        long done = bytesDone();
        StringBuilder b = new StringBuilder("recall of ").append(lender).append(": ");
        b.append(finished() ? ByteSizes.human(done)
                : ByteSizes.human(done) + " of " + ByteSizes.human(plannedBytes + plan.unplaceableBytes()) + " so far");
        b.append(" in ").append(ByteSizes.seconds(elapsed(now)))
                .append(" (deadline ").append(ByteSizes.seconds(Duration.between(startedAt, deadline)))
                .append(overdue(now) ? ", OVERDUE" : "").append("): ")
                .append(ByteSizes.human(bytesDone.get(RecallStep.Action.DROP))).append(" clean dropped, ")
                .append(ByteSizes.human(bytesDone.get(RecallStep.Action.FLUSH_DOWN))).append(" flushed, ")
                .append(ByteSizes.human(bytesDone.get(RecallStep.Action.MOVE_TO_LENDER))).append(" moved");
        if (bytesDone.get(RecallStep.Action.PROMOTE_REPLICA) > 0) {
            b.append(", ").append(ByteSizes.human(bytesDone.get(RecallStep.Action.PROMOTE_REPLICA)))
                    .append(" replica promoted");
        }
        if (failures > 0) {
            b.append(", ").append(failures).append(" failed step").append(failures == 1 ? "" : "s")
                    .append(" (last: ").append(lastFailure).append(")");
        }
        if (!plan.complete()) {
            b.append("; ").append(plan.unplaceableReason());
        }
        return b.toString();
    }
}
