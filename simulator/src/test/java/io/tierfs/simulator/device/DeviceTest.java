package io.tierfs.simulator.device;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeviceTest {

    @Test
    void oneRequestTakesLatencyPlusTransfer() {
        Device d = new Device(new DeviceSpec(1_000_000_000L, 500_000_000L, 1_000, 4, 0));
        assertEquals(10 + 1_000 + 1_000, d.serve(10, 1_000, false, 1, 0));   // 1 GB/s read: 1 ns per byte
        assertEquals(5_000 + 1_000 + 2_000, d.serve(5_000, 1_000, true, 1, 0)); // 0.5 GB/s write: 2 ns per byte
        assertEquals(2_000 + 3_000, d.busyNanos());
    }

    @Test
    void concurrentRequestsOverlapLatencyButShareTheBandwidth() {
        Device d = new Device(new DeviceSpec(1_000_000_000L, 1_000_000_000L, 1_000, 2, 0));
        assertEquals(2_000, d.serve(0, 1_000, false, 1, 0));
        // second slot: latency 0..1000 overlaps; the pipe is busy until 2000, then 1000 ns of transfer
        assertEquals(3_000, d.serve(0, 1_000, false, 2, 0));
        // third waits for the first slot (free at 2000): 2000 + 1000 latency, pipe free at 3000 -> 3000 + 1000
        assertEquals(4_000, d.serve(0, 1_000, false, 3, 0));
    }

    @Test
    void aDiskSeeksUnlessTheRequestContinuesThePreviousOne() {
        Device d = new Device(new DeviceSpec(1_000_000_000L, 1_000_000_000L, 100, 1, 10_000));
        long a = d.serve(0, 1_000, false, 7, 0);
        assertEquals(10_000 + 100 + 1_000, a);
        long b = d.serve(a, 1_000, false, 7, 1_000); // sequential: no seek
        assertEquals(a + 100 + 1_000, b);
        long c = d.serve(b, 1_000, false, 8, 0);     // another file: seek
        assertEquals(b + 10_000 + 100 + 1_000, c);
        assertEquals(c, d.busyNanos());
    }

    @Test
    void sizesOfManyGigabytesDoNotOverflow() {
        Device d = new Device(new DeviceSpec(261_000_000L, 261_000_000L, 0, 1, 0));
        assertEquals(1e9 * (100L << 30) / 261e6, d.serve(0, 100L << 30, true, 1, 0), 1e3);
    }
}
