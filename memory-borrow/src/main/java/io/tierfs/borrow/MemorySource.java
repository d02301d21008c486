package io.tierfs.borrow;

/**
 * Where a lender learns how much memory its own machine can still spare. Pluggable so that tests (and a child JVM
 * driven by a test) can fake memory pressure by rewriting a file instead of really filling the machine's RAM.
 */
public interface MemorySource {

    /**
     * The kernel's estimate of memory available for new work without swapping (MemAvailable), in bytes.
     *
     * @throws MeminfoException if the figure cannot be read
     */
    long memAvailableBytes();

    /**
     * Physical memory of the machine (MemTotal), in bytes; a percentage reserve is taken of it.
     *
     * @throws MeminfoException if the figure cannot be read
     */
    long memTotalBytes();
}
