package io.tierfs.migration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash-test hook: when the system property {@code tierfs.fault} names a step of a move ({@code after-intent},
 * {@code after-copy}, {@code after-switch}), the JVM halts there, as a kill -9 would, so a test can check that
 * restart recovery leaves exactly one authoritative copy. Without the property this is a no-op.
 */
public final class FaultPoints {
    public static final String PROPERTY = "tierfs.fault";
    public static final int HALT_STATUS = 86;
    private static final Logger log = LoggerFactory.getLogger(FaultPoints.class);

    private final String armed;

    public FaultPoints(String armed) {
        this.armed = armed;
    }

    public static FaultPoints fromSystemProperties() {
        return new FaultPoints(System.getProperty(PROPERTY));
    }

    public void hit(String step) {
        if (step.equals(armed)) {
            log.warn("fault injection: halting the JVM at step '{}'", step);
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }
}
