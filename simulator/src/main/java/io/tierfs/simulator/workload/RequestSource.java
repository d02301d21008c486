package io.tierfs.simulator.workload;

/**
 * A stream of requests in (earliest) arrival order: a synthetic generator or a trace reader. Streams, so a trace
 * larger than memory is never held whole. File and job ids are small dense integers from the source's
 * {@link Names}.
 */
public interface RequestSource extends AutoCloseable {

    /** Fills {@code r} with the next request; false at the end. */
    boolean next(Request r);

    /** The names of files and jobs seen so far. */
    Names names();

    /** Progress in [0, 1] (bytes of a trace consumed, requests generated), for the progress bar. */
    double progress();

    @Override
    default void close() {
    }
}
