package io.tierfs.it;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or a deadline passes (the tests' replacement for sleeping). */
public final class Await {

    private Await() {
    }

    /** Returns once {@code condition} is true; fails with the last exception or a timeout otherwise. */
    public static void until(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
        Exception[] last = new Exception[1];
        boolean ok = io.tierfs.common.time.Await.within(timeout, () -> {
            try {
                boolean holds = condition.call();
                last[0] = null;
                return holds;
            } catch (Exception e) {
                last[0] = e;
                return false;
            }
        });
        if (!ok) {
            AssertionError err = new AssertionError("timed out after " + timeout + " waiting for " + what);
            if (last[0] != null) {
                err.initCause(last[0]);
            }
            throw err;
        }
    }
}
