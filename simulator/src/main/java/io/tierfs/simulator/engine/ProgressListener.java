package io.tierfs.simulator.engine;

/** Told now and then how far a run is (fraction of the workload consumed), for a progress bar. */
@FunctionalInterface
public interface ProgressListener {
    void progress(double fraction);

    ProgressListener NONE = f -> { };
}
