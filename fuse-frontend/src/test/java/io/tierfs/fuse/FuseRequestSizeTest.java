package io.tierfs.fuse;

import com.sun.nio.file.ExtendedOpenOption;
import io.tierfs.meta.local.LocalNamespace;
import io.tierfs.vfs.InMemoryDataStore;
import io.tierfs.vfs.Vfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The size of the READ and WRITE requests the kernel sends a mount: 1 MiB once {@link FuseLoop} has offered
 * max_pages in the INIT reply, libfuse 2's own 128 KiB when asked for, and never anything that loses a byte.
 * Real mounts (CI runs as root with /dev/fuse).
 */
class FuseRequestSizeTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;
    private final List<FuseMount> mounts = new ArrayList<>();
    private final List<LocalNamespace> namespaces = new ArrayList<>();

    @AfterEach
    void unmountAll() {
        System.clearProperty(FuseMount.REQUEST_KIB_PROPERTY);
        for (FuseMount m : mounts) {
            m.close();
            assertFalse(MountTable.isMountPoint(m.mountPoint()));
        }
        namespaces.forEach(LocalNamespace::close);
    }

    private FuseMount mount(String name) throws IOException {
        Path mp = Files.createDirectory(tmp.resolve(name));
        LocalNamespace ns = new LocalNamespace(Clock.systemUTC());
        namespaces.add(ns);
        FuseMount m = FuseMount.mount(new TierFuse(new Vfs(ns, new InMemoryDataStore(1L << 30), Clock.systemUTC())),
                mp, List.of(), true);
        mounts.add(m);
        return m;
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes {@code content} at {@code offset} in one write call of the whole buffer. */
    static void writeAt(Path f, byte[] content, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b, offset + b.position());
            }
        }
    }

    /** Reads the whole file with O_DIRECT, so every byte comes through FUSE READ requests, not the page cache. */
    static byte[] readDirect(Path f) throws IOException {
        int block = (int) Files.getFileStore(f).getBlockSize();
        long size = Files.size(f);
        int aligned = (int) ((size + block - 1) / block * block);
        ByteBuffer buf = ByteBuffer.allocateDirect(aligned + block).alignedSlice(block);
        buf.limit(aligned);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            // the kernel splits each call into requests of at most the negotiated size; the last read may be short
            while (buf.position() < size && ch.read(buf, buf.position()) > 0) {
                assertTrue(buf.position() % block == 0 || buf.position() >= size,
                        "a short O_DIRECT read before the end of the file, at " + buf.position());
            }
        }
        byte[] out = new byte[(int) size];
        buf.flip().get(out);
        return out;
    }

    @Test
    void streamingWritesAndReadsCrossInOneMiBRequests() throws IOException {
        FuseMount m = mount("big");
        assertEquals(MIB, m.requestBytes(), "the kernel was offered 1 MiB requests");
        Path f = m.mountPoint().resolve("stream.bin");
        byte[] content = random(8 * MIB, 1);
        writeAt(f, content, 0);
        assertEquals(MIB, m.largestWrite(), "an 8 MiB write reached the file system in 1 MiB requests");
        assertArrayEquals(content, readDirect(f));
        assertEquals(SplicedReads.largestRead(MIB), m.largestRead(),
                "an O_DIRECT read of 8 MiB came in requests as large as libfuse's splice pipe allows (1 MiB - 5 pages)");

        // a write that starts and ends off any page or request boundary, over what is there
        byte[] patch = random(3 * MIB + 12_345, 2);
        long at = MIB - 777;
        writeAt(f, patch, at);
        System.arraycopy(patch, 0, content, (int) at, patch.length);
        assertArrayEquals(content, Files.readAllBytes(f));
        assertArrayEquals(content, readDirect(f));
        // growing the file by an unaligned tail
        byte[] tail = random(MIB + 3, 3);
        writeAt(f, tail, content.length + 5);
        byte[] grown = new byte[content.length + 5 + tail.length];
        System.arraycopy(content, 0, grown, 0, content.length);
        System.arraycopy(tail, 0, grown, content.length + 5, tail.length);
        assertArrayEquals(grown, readDirect(f), "the 5-byte gap reads as zeros");
    }

    @Test
    void libfuseSizedRequestsWhenAskedFor() throws IOException {
        System.setProperty(FuseMount.REQUEST_KIB_PROPERTY, "128");
        FuseMount m = mount("small");
        assertEquals(128 * 1024, m.requestBytes());
        Path f = m.mountPoint().resolve("small.bin");
        byte[] content = random(4 * MIB, 4);
        writeAt(f, content, 0);
        assertEquals(128 * 1024, m.largestWrite());
        assertArrayEquals(content, readDirect(f));
        assertEquals(128 * 1024, m.largestRead());
    }

    @Test
    void anUnusableRequestSizeIsRefusedBeforeAnythingIsMounted() throws IOException {
        Path mp = Files.createDirectory(tmp.resolve("refused"));
        for (String bad : List.of("100", "2048", "64", "lots", "130")) {
            System.setProperty(FuseMount.REQUEST_KIB_PROPERTY, bad);
            LocalNamespace ns = new LocalNamespace(Clock.systemUTC());
            namespaces.add(ns);
            TierFuse fs = new TierFuse(new Vfs(ns, new InMemoryDataStore(1L << 20), Clock.systemUTC()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FuseMount.mount(fs, mp, List.of(), true));
            assertTrue(e.getMessage().contains(FuseMount.REQUEST_KIB_PROPERTY) && e.getMessage().contains(bad),
                    e.getMessage());
            assertFalse(MountTable.isMountPoint(mp));
        }
    }
}
