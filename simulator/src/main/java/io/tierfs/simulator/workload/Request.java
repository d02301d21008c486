package io.tierfs.simulator.workload;

/**
 * One application request. Mutable and reused: a source fills the same instance for every request, so that a
 * million-request replay allocates nothing per request.
 * <p>
 * {@code timeNanos} is the arrival time. A request with {@code afterJob >= 0} belongs to a phase that waits for
 * another job: its {@code timeNanos} counts from the phase start, and the phase starts (at its first request,
 * marked {@code barrier}) {@code gapNanos} after the last request of {@code afterJob} completed. This is how a
 * workflow step waits for its input, and a job computes between reading and writing.
 */
public final class Request {
    public long timeNanos;
    public Op op;
    public int file;
    public long offset;
    public long size;
    public int job;
    public int afterJob = -1;
    public long gapNanos;
    public boolean barrier;

    public Request set(long time, Op o, int f, long off, long sz, int j) {
        timeNanos = time;
        op = o;
        file = f;
        offset = off;
        size = sz;
        job = j;
        afterJob = -1;
        gapNanos = 0;
        barrier = false;
        return this;
    }

    /** Makes this request part of a phase after {@code job} (see the class comment). */
    public Request after(int job, long gap, boolean first) {
        afterJob = job;
        gapNanos = gap;
        barrier = first;
        return this;
    }

    @Override
    public String toString() {
        return timeNanos + " " + op + " f" + file + " @" + offset + "+" + size + " job " + job;
    }
}
