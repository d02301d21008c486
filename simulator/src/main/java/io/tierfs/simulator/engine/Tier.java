package io.tierfs.simulator.engine;

import io.tierfs.simulator.config.TierConfig;
import io.tierfs.simulator.device.Device;
import io.tierfs.simulator.device.DeviceSpec;

/**
 * A tier at run time: its units' capacity and fill, each unit's device (and network port when remote), the
 * bytes being moved out of it, and its counters. A file's home unit is its id modulo the unit count; when the home
 * unit is full another unit with room is taken.
 */
final class Tier {
    final int index;
    final TierConfig cfg;
    final long[] cap;
    final long[] used;
    final Device[] dev;
    final Device[] nic;
    long capTotal;
    long usedTotal;
    long outgoing;
    long peakUsed;
    long readReq;
    long readBytes;
    long writeReq;
    long writeBytes;
    long migReadBytes;
    long migWriteBytes;

    Tier(int index, TierConfig cfg, DeviceSpec network) {
        this.index = index;
        this.cfg = cfg;
        int n = cfg.units();
        cap = new long[n];
        used = new long[n];
        dev = new Device[n];
        nic = cfg.remote() ? new Device[n] : null;
        for (int u = 0; u < n; u++) {
            cap[u] = cfg.capacityPerUnit();
            dev[u] = new Device(cfg.device());
            if (nic != null) {
                nic[u] = new Device(network);
            }
        }
        capTotal = cfg.capacityPerUnit() * n;
    }

    boolean durable() {
        return cfg.durable();
    }

    int units() {
        return cap.length;
    }

    int home(int file) {
        return Math.floorMod(file, cap.length);
    }

    boolean fits(int u, long bytes) {
        return used[u] + bytes <= cap[u];
    }

    /** A unit that can take {@code bytes}, the home unit first; -1 if none. */
    int pickUnit(int file, long bytes, int except) {
        int h = home(file);
        for (int i = 0; i < cap.length; i++) {
            int u = h + i < cap.length ? h + i : h + i - cap.length;
            if (u != except && used[u] + bytes <= cap[u]) {
                return u;
            }
        }
        return -1;
    }

    void reserve(int u, long bytes) {
        used[u] += bytes;
        usedTotal += bytes;
        if (usedTotal > peakUsed) {
            peakUsed = usedTotal;
        }
    }

    void release(int u, long bytes) {
        used[u] -= bytes;
        usedTotal -= bytes;
    }

    void setCapacity(int u, long bytes) {
        capTotal += bytes - cap[u];
        cap[u] = bytes;
    }

    long high() {
        return (long) (capTotal * cfg.highWatermark());
    }

    long low() {
        return (long) (capTotal * cfg.lowWatermark());
    }

    /** Used bytes once the moves out of this tier complete: what the watermarks are compared with. */
    long effectiveUsed() {
        return usedTotal - outgoing;
    }

    /** Serves an I/O on unit {@code u}; a remote unit's network port is crossed before a write, after a read. */
    long io(int u, long at, long bytes, boolean write, int file, long offset) {
        if (nic == null) {
            return dev[u].serve(at, bytes, write, file, offset);
        }
        if (write) {
            long arrived = nic[u].serve(at, bytes, true, file, offset);
            return dev[u].serve(arrived, bytes, true, file, offset);
        }
        long read = dev[u].serve(at, bytes, false, file, offset);
        return nic[u].serve(read, bytes, false, file, offset);
    }

    long busyNanos() {
        long b = 0;
        for (Device d : dev) {
            b = Math.max(b, d.busyNanos());
        }
        return b;
    }

    long busyNanosSum() {
        long b = 0;
        for (Device d : dev) {
            b += d.busyNanos();
        }
        return b;
    }
}
