package io.tierfs.borrow.cluster;

import io.tierfs.borrow.lender.RecallReason;
import io.tierfs.borrow.lender.RecallReport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What a lender publishes for metrics without being asked: its latest {@link LenderView} (refreshed every poll
 * tick) and every finished recall. The lender actor writes; metrics threads read, so nobody has to ask the actor
 * from a metrics2 timer thread.
 */
public final class LenderGauges {
    private volatile LenderView latest;
    private final AtomicLong recalls = new AtomicLong();
    private final List<Consumer<Duration>> recallListeners = new CopyOnWriteArrayList<>();

    /** The view as of the lender's last tick; null before its first. */
    public LenderView latest() {
        return latest;
    }

    /** Recalls finished since the lender started (leases given back on a recall, not plain returns). */
    public long recalls() {
        return recalls.get();
    }

    /** Called with each finished recall's time from order to release. */
    public void onRecall(Consumer<Duration> listener) {
        recallListeners.add(listener);
    }

    /** The lender's view changed (every poll tick). */
    public void published(LenderView view) {
        latest = view;
    }

    /** A lease came back; counted (and timed) if a recall asked for it. */
    public void released(RecallReport report) {
        if (report.reason() == RecallReason.RETURNED) {
            return;
        }
        recalls.incrementAndGet();
        for (Consumer<Duration> l : recallListeners) {
            l.accept(report.elapsed());
        }
    }
}
