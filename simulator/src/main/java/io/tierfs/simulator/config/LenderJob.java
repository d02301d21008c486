package io.tierfs.simulator.config;

/** A job of the node's own that needs {@code memoryBytes} of lender {@code unit} from start to end (ns). */
public record LenderJob(int unit, long startNanos, long endNanos, long memoryBytes) {
}
