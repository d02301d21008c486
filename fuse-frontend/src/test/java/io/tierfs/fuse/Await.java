package io.tierfs.fuse;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline (tests never sleep a fixed time). */
final class Await {
    private Await() {
    }

    static boolean until(Duration deadline, BooleanSupplier condition) {
        return io.tierfs.common.time.Await.within(deadline, condition);
    }
}
