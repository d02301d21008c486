package io.tierfs.simulator.engine;

import java.util.Arrays;

/**
 * Every file's state as parallel primitive arrays indexed by file id (dense ids from the workload): where its
 * primary copy is (tier, unit), where its durable copy of a volatile primary is, whether it is dirty, busy in a
 * copy, its last access and write, and its access count and heat (for the LFU and heat victim orders). No object
 * per file; grows by doubling.
 */
final class FileTable {
    static final byte IDLE = 0;
    static final byte MOVING = 1;
    static final byte FLUSHING = 2;

    long[] size = new long[0];
    byte[] tier = new byte[0];
    int[] unit = new int[0];
    byte[] durTier = new byte[0];
    int[] durUnit = new int[0];
    long[] durBytes = new long[0];
    boolean[] dirty = new boolean[0];
    long[] dirtySince = new long[0];
    byte[] busy = new byte[0];
    int[] version = new int[0];
    int[] incarnation = new int[0];
    long[] lastAccess = new long[0];
    long[] lastWrite = new long[0];
    long[] accesses = new long[0];
    /** Heat (exponentially decayed access count, the policy engine's {@code Heat}) and when it was last updated. */
    double[] heat = new double[0];
    long[] heatAtMillis = new long[0];
    private int capacity;

    int capacity() {
        return capacity;
    }

    /** Makes room for file id {@code f}; returns true if the arrays grew. */
    boolean ensure(int f) {
        if (f < capacity) {
            return false;
        }
        int n = Math.max(1024, Math.max(f + 1, capacity * 2));
        size = Arrays.copyOf(size, n);
        tier = Arrays.copyOf(tier, n);
        Arrays.fill(tier, capacity, n, (byte) -1);
        unit = Arrays.copyOf(unit, n);
        durTier = Arrays.copyOf(durTier, n);
        Arrays.fill(durTier, capacity, n, (byte) -1);
        durUnit = Arrays.copyOf(durUnit, n);
        durBytes = Arrays.copyOf(durBytes, n);
        dirty = Arrays.copyOf(dirty, n);
        dirtySince = Arrays.copyOf(dirtySince, n);
        busy = Arrays.copyOf(busy, n);
        version = Arrays.copyOf(version, n);
        incarnation = Arrays.copyOf(incarnation, n);
        lastAccess = Arrays.copyOf(lastAccess, n);
        lastWrite = Arrays.copyOf(lastWrite, n);
        accesses = Arrays.copyOf(accesses, n);
        heat = Arrays.copyOf(heat, n);
        heatAtMillis = Arrays.copyOf(heatAtMillis, n);
        capacity = n;
        return true;
    }

    /** Bytes file {@code f} holds on tier {@code t} (primary or durable copy). */
    long bytesOn(int f, int t) {
        return (tier[f] == t ? size[f] : 0) + (durTier[f] == t ? durBytes[f] : 0);
    }
}
