package io.tierfs.simulator.config;

/** At {@code atNanos}, lender {@code unit} of the DRAM tier lends {@code capacityBytes} (less means a recall). */
public record LenderStep(long atNanos, int unit, long capacityBytes) {
}
