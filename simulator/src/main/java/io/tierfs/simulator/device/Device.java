package io.tierfs.simulator.device;

/**
 * One device in virtual time, as a queue with two resources: {@code concurrency} service slots in which the
 * per-request latency (and a seek) of several requests overlap, and one transfer pipe whose bandwidth they share.
 * A request arriving at {@code at} takes the slot that frees first, pays latency (+ seek), then waits for the pipe
 * and transfers; it holds its slot until its transfer ends. Everything is computed when the request arrives
 * (first come, first served), so serving a request is a few arithmetic operations and no allocation.
 */
public final class Device {
    private final DeviceSpec spec;
    private final double readNsPerByte;
    private final double writeNsPerByte;
    private final long[] slotFree;
    private long pipeFree;
    private int lastFile = -1;
    private long lastEnd = -1;
    private long busyNanos;
    private long busyUntil;
    private long requests;

    public Device(DeviceSpec spec) {
        this.spec = spec;
        this.readNsPerByte = 1e9 / spec.readBytesPerSecond();
        this.writeNsPerByte = 1e9 / spec.writeBytesPerSecond();
        this.slotFree = new long[spec.concurrency()];
    }

    public DeviceSpec spec() {
        return spec;
    }

    /**
     * Serves {@code bytes} of {@code file} at {@code offset}, arriving at {@code at} (ns); returns the completion time.
     */
    public long serve(long at, long bytes, boolean write, int file, long offset) {
        int slot = 0;
        long free = slotFree[0];
        for (int i = 1; i < slotFree.length; i++) {
            if (slotFree[i] < free) {
                free = slotFree[i];
                slot = i;
            }
        }
        long start = Math.max(at, free);
        long setup = spec.latencyNanos();
        if (spec.seekNanos() > 0 && !(file == lastFile && offset == lastEnd)) {
            setup += spec.seekNanos();
        }
        lastFile = file;
        lastEnd = offset + bytes;
        long xferStart = Math.max(start + setup, pipeFree);
        long end = xferStart + transferNanos(bytes, write);
        pipeFree = end;
        slotFree[slot] = end;
        long from = Math.max(start, busyUntil);
        if (end > from) {
            busyNanos += end - from;
        }
        if (end > busyUntil) {
            busyUntil = end;
        }
        requests++;
        return end;
    }

    /** Time to move {@code bytes} through the pipe alone. */
    public long transferNanos(long bytes, boolean write) {
        return (long) Math.ceil(bytes * (write ? writeNsPerByte : readNsPerByte));
    }

    /** Virtual time during which at least one request was in service. */
    public long busyNanos() {
        return busyNanos;
    }

    public long requests() {
        return requests;
    }
}
