package io.tierfs.migration.policy.plan;

import io.tierfs.migration.policy.Demotion;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MoveOrderTest {
    static final Reason R = new Reason("test", "test");

    @Test
    void recallThenPrestageThenDemotionThenPromotion() {
        PlannedMove promo = new Promotion(1, 2, 0, 1, R);
        PlannedMove demoFast = new DemotionMove(new Demotion(2, 0, 1, 1), R);
        PlannedMove demoSlow = new DemotionMove(new Demotion(3, 1, 2, 1), R);
        PlannedMove stageLate = new Prestage("b", 4, 2, 0, 1, 900, R);
        PlannedMove stageSoon = new Prestage("a", 5, 2, 0, 1, 100, R);
        PlannedMove recall = new Recall(6, 0, 1, 1, 5000, R);
        PlannedMove recallSoon = new Recall(7, 0, 1, 1, 50, R);
        List<PlannedMove> ordered = MoveOrder.byPriority(List.of(promo, demoFast, demoSlow, stageLate, stageSoon,
                recall, recallSoon));
        assertEquals(List.of(recallSoon, recall, stageSoon, stageLate, demoSlow, demoFast, promo), ordered);
        assertEquals(List.of(recallSoon, recall), MoveOrder.startable(ordered, 1, 3));
        assertEquals(List.of(), MoveOrder.startable(ordered, 4, 3));
    }

    @Test
    void bandwidthIsATokenBucket() {
        Bandwidth b = Bandwidth.of(10L << 20, 0);           // 10 MiB/s, burst 10 MiB
        assertEquals(0, b.waitMillis(4L << 20, 0));
        b = b.took(10L << 20, 0);
        assertEquals(400, b.waitMillis(4L << 20, 0), "4 MiB at 10 MiB/s");
        assertEquals(0, b.waitMillis(4L << 20, 400));
        b = b.took(4L << 20, 400);
        assertEquals(400, b.waitMillis(4L << 20, 400));
        assertEquals(10L << 20, (long) b.at(100_000).tokens(), "refill is capped at the burst");
        Bandwidth free = Bandwidth.of(0, 0);
        assertEquals(0, free.took(1L << 40, 0).waitMillis(1L << 40, 0));
    }
}
