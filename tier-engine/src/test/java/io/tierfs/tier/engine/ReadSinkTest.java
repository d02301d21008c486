package io.tierfs.tier.engine;

import io.tierfs.tier.ReadSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads into a {@link ReadSink}: the chunk files of local tiers are handed over by name (the FUSE edge splices
 * them), everything else is copied, and the two together are exactly the bytes a plain read returns.
 */
class ReadSinkTest {
    static final int CS = TierEngineTest.CS;
    static final long BIG = TierEngineTest.BIG;

    @TempDir
    Path tmp;
    TestTiers tt;
    TierEngine engine;

    @BeforeEach
    void setUp() {
        tt = new TestTiers(tmp);
        engine = new TierEngine(tt.specs(BIG, BIG, BIG), tt.layoutDir(), CS, null, Clock.systemUTC(), "local");
    }

    @AfterEach
    void tearDown() {
        try {
            engine.close();
        } finally {
            tt.close();
        }
    }

    /** One extent as the sink saw it: a file range, or a buffer the engine filled. */
    record Extent(Path file, long pos, int len, ByteBuffer memory) {
        byte[] bytes() {
            ByteBuffer b = ByteBuffer.allocate(len);
            if (file == null) {
                b.put(memory.duplicate().flip());
            } else {
                try (FileChannel ch = FileChannel.open(file)) {
                    while (b.hasRemaining() && ch.read(b, pos + b.position()) > 0) {
                        // reads until the extent is complete
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            assertEquals(len, b.position(), "extent " + this + " holds fewer bytes than it claims");
            return b.array();
        }
    }

    /** Records extents; takes files only if {@code takeFiles}. */
    static final class Recorder implements ReadSink {
        final boolean takeFiles;
        final List<Extent> extents = new ArrayList<>();

        Recorder(boolean takeFiles) {
            this.takeFiles = takeFiles;
        }

        @Override
        public boolean file(Path file, long pos, int len) {
            if (takeFiles) {
                extents.add(new Extent(file, pos, len, null));
            }
            return takeFiles;
        }

        @Override
        public ByteBuffer memory(int len) {
            ByteBuffer b = ByteBuffer.allocate(len);
            extents.add(new Extent(null, 0, len, b));
            return b;
        }

        byte[] bytes() {
            int n = extents.stream().mapToInt(Extent::len).sum();
            ByteBuffer all = ByteBuffer.allocate(n);
            extents.forEach(e -> all.put(e.bytes()));
            return all.array();
        }

        long fileBytes() {
            return extents.stream().filter(e -> e.file() != null).mapToLong(Extent::len).sum();
        }
    }

    private byte[] plainRead(long ino, long off, int n) {
        ByteBuffer b = ByteBuffer.allocate(n);
        assertEquals(n, engine.read(ino, off, b));
        return b.array();
    }

    private Recorder sinkRead(long ino, long off, int n, boolean takeFiles) {
        Recorder r = new Recorder(takeFiles);
        engine.read(ino, off, n, r);
        assertEquals(n, r.extents.stream().mapToInt(Extent::len).sum(), "the extents cover the range exactly");
        return r;
    }

    @Test
    void wholeChunksAreNamedAndHolesPartialChunksAndTailsAreCopied() {
        engine.write(5, 0, ByteBuffer.wrap(TierEngineTest.random(1, CS)));                 // chunk 0: full
        engine.write(5, CS + 100, ByteBuffer.wrap(TierEngineTest.random(2, 1000)));        // chunk 1: data ends at 1100
        engine.write(5, 3L * CS + 7, ByteBuffer.wrap(TierEngineTest.random(3, CS - 7)));   // chunk 2: a hole; chunk 3 full
        int n = 4 * CS;

        Recorder r = sinkRead(5, 0, n, true);
        assertArrayEquals(plainRead(5, 0, n), r.bytes());
        List<Extent> ex = r.extents;
        assertEquals(4, ex.size(), ex.toString());
        assertTrue(ex.get(0).file().startsWith(tt.dram), "chunk 0 is a DRAM file: " + ex.get(0));
        assertEquals(0, ex.get(0).pos());
        assertTrue(ex.get(1).file() == null && ex.get(2).file() == null, "a short chunk and a hole are copied");
        assertTrue(ex.get(3).file() != null, "chunk 3 holds all its bytes: " + ex.get(3));

        // a range inside chunk 1's data is a file extent at the right position, one past it is not
        Recorder inside = sinkRead(5, CS + 100, 1000, true);
        assertEquals(List.of(100L), inside.extents.stream().map(Extent::pos).toList(), "positions are in the chunk file");
        assertEquals(1000, inside.fileBytes());
        assertArrayEquals(TierEngineTest.random(2, 1000), inside.bytes());
        assertEquals(0, sinkRead(5, CS + 100, 1001, true).fileBytes());

        // an unaligned range across a chunk boundary: the end of chunk 0 and the start of chunk 1
        Recorder across = sinkRead(5, CS - 10, 200, true);
        assertArrayEquals(plainRead(5, CS - 10, 200), across.bytes());
        assertEquals(2, across.extents.size());
        assertEquals(200, across.fileBytes(), "both parts lie below their chunk's end (chunk 1's first 100 bytes "
                + "are a hole inside its file, which reads as zeros)");
    }

    @Test
    void aSinkThatDeclinesFilesGetsEveryByteCopied() {
        byte[] data = TierEngineTest.random(4, 3 * CS + 5);
        engine.write(8, 11, ByteBuffer.wrap(data));
        Recorder r = sinkRead(8, 0, 3 * CS + 16, false);
        assertEquals(0, r.fileBytes());
        assertArrayEquals(plainRead(8, 0, 3 * CS + 16), r.bytes());
        assertArrayEquals(data, java.util.Arrays.copyOfRange(r.bytes(), 11, 11 + data.length));
    }

    @Test
    void aMovedChunkIsNamedOnItsNewTier() {
        byte[] data = TierEngineTest.random(5, CS);
        engine.write(9, 0, ByteBuffer.wrap(data));
        MoveTicket t = engine.beginMove(9, 0, 0, 1).orElseThrow();
        engine.copyForMove(t);
        engine.freeSources(engine.switchMove(t).orElseThrow());

        Recorder r = sinkRead(9, 0, CS, true);
        assertEquals(1, r.extents.size());
        assertTrue(r.extents.get(0).file().startsWith(tmp.resolve("ssd")), "now on SSD: " + r.extents.get(0));
        assertArrayEquals(data, r.bytes());
    }

    @Test
    void aFileNeverWrittenIsAllZerosInMemory() {
        Recorder r = sinkRead(77, 5 * CS + 3, 2 * CS, true);
        assertEquals(0, r.fileBytes());
        assertArrayEquals(new byte[2 * CS], r.bytes());
    }
}
