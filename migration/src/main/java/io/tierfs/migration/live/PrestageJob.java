package io.tierfs.migration.live;

import io.tierfs.migration.policy.plan.PrestageProgress;
import io.tierfs.migration.policy.plan.PrestageRequest;

/** A pre-stage request inside the live mover: mutable bookkeeping, guarded by the mover's lock. */
public final class PrestageJob {
    private final PrestageRequest request;
    private final long createdMillis;
    private volatile PrestageProgress progress;
    private volatile boolean cancelled;

    public PrestageJob(PrestageRequest request, long createdMillis) {
        this.request = request;
        this.createdMillis = createdMillis;
    }

    public PrestageRequest request() {
        return request;
    }

    public long createdMillis() {
        return createdMillis;
    }

    public PrestageProgress progress() {
        return progress;
    }

    public void progress(PrestageProgress p) {
        this.progress = p;
    }

    public boolean cancelled() {
        return cancelled;
    }

    public void cancel() {
        cancelled = true;
    }

    /** Still planned: not cancelled, deadline not passed (a done request keeps its files from demotion). */
    public boolean active(long nowMillis) {
        return !cancelled && nowMillis <= request.deadlineMillis();
    }

    public PrestageStatus status() {
        return PrestageStatus.of(this);
    }
}
