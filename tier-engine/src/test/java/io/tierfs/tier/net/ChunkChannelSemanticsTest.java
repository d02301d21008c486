package io.tierfs.tier.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The very same assertions against a local FileChannel and a RemoteChunkChannel over real TCP: what the engine
 * relies on (positional I/O, holes, end-of-file, truncate, position) behaves identically.
 */
class ChunkChannelSemanticsTest {
    @TempDir
    Path dir;

    private ChunkServer server;
    private ChunkClient client;

    @BeforeEach
    void start() {
        server = new ChunkServer(new DirectoryChunkRepository(dir.resolve("lent"), QuotaGate.UNLIMITED), "127.0.0.1", 0);
        client = new ChunkClient(DataPlaneSettings.defaults());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private FileChannel open(String kind) throws Exception {
        if (kind.equals("local")) {
            return FileChannel.open(dir.resolve("local-chunk"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }
        return RemoteChunkChannel.open(client, server.address(), new ChunkKey("borrower", 42, 1, 3), true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "remote"})
    void behavesLikeAFileChannel(String kind) throws Exception {
        FileChannel ch = open(kind);
        assertEquals(0, ch.size());
        assertEquals(-1, ch.read(ByteBuffer.allocate(10), 0), "empty chunk: end of file at once");

        assertEquals(5, ch.write(ascii("hello"), 10));
        assertEquals(15, ch.size());
        ByteBuffer all = ByteBuffer.allocate(15);
        assertEquals(15, ch.read(all, 0));
        byte[] expect = new byte[15];
        System.arraycopy("hello".getBytes(StandardCharsets.US_ASCII), 0, expect, 10, 5);
        assertArrayEquals(expect, all.array(), "the hole before the write reads as zeros");

        ByteBuffer big = ByteBuffer.allocate(100);
        assertEquals(10, ch.read(big, 5), "short read at the end");
        assertEquals(10, big.position());
        assertEquals(-1, ch.read(ByteBuffer.allocate(10), 15), "at the end");
        assertEquals(-1, ch.read(ByteBuffer.allocate(10), 1000), "after the end");
        assertEquals(0, ch.read(ByteBuffer.allocate(0), 1000), "nothing asked, nothing read");
        ByteBuffer offset = ByteBuffer.allocate(8).position(3);
        assertEquals(5, ch.read(offset, 10), "reads land at the buffer's position");
        assertEquals("hello", new String(offset.array(), 3, 5, StandardCharsets.US_ASCII));

        assertEquals(0, ch.position());
        assertEquals(3, ch.write(ascii("abc")));
        assertEquals(3, ch.position());
        ch.position(0);
        ByteBuffer three = ByteBuffer.allocate(3);
        assertEquals(3, ch.read(three));
        assertEquals("abc", new String(three.array(), StandardCharsets.US_ASCII));
        assertEquals(3, ch.position());
        ch.position(15);
        assertEquals(-1, ch.read(ByteBuffer.allocate(1)));
        assertEquals(15, ch.position());

        ch.truncate(20);
        assertEquals(15, ch.size(), "truncate never lengthens");
        assertEquals(15, ch.position());
        ch.truncate(4);
        assertEquals(4, ch.size());
        assertEquals(4, ch.position(), "the position follows a cut below it");
        assertEquals(-1, ch.read(ByteBuffer.allocate(4), 4));
        ch.force(true);

        byte[] data = new byte[(3 << 20) + 12345]; // several 1 MiB frames on the wire
        new Random(7).nextBytes(data);
        ByteBuffer src = ByteBuffer.wrap(data);
        assertEquals(data.length, ch.write(src, 100));
        assertFalse(src.hasRemaining());
        assertEquals(100 + data.length, ch.size());
        ByteBuffer back = ByteBuffer.allocateDirect(data.length + 50);
        assertEquals(data.length, ch.read(back, 100));
        byte[] got = new byte[data.length];
        back.flip().get(got);
        assertArrayEquals(data, got);
        ByteBuffer head = ByteBuffer.allocate(100);
        assertEquals(100, ch.read(head, 0));
        assertArrayEquals(Arrays.copyOf("abc\0".getBytes(StandardCharsets.US_ASCII), 100), head.array(),
                "cut bytes came back as a hole of zeros");

        ch.close();
        assertFalse(ch.isOpen());
        assertThrows(ClosedChannelException.class, () -> ch.read(ByteBuffer.allocate(1), 0));
        assertThrows(ClosedChannelException.class, () -> ch.write(ascii("x"), 0));
        assertThrows(ClosedChannelException.class, ch::size);
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
}
