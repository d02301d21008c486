package io.tierfs.bench;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SharedBenchWorkerTest {
    @Test
    void transferBuffersStartOnAPageAsIorsDo() {
        for (int size : new int[]{1 << 20, 47 * 1024, 8}) {
            ByteBuffer b = SharedBenchWorker.pageAligned(size);
            assertEquals(0, b.alignmentOffset(0, 4096), "starts on a page boundary");
            assertEquals(size, b.capacity());
            assertEquals(size, b.remaining());
            assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
            SharedPattern.fill(b, 8 * 1024, 3); // the whole capacity, as the worker writes it
            assertEquals((8 * 1024 + size - 8) ^ 3, b.getLong(size - 8));
        }
    }
}
