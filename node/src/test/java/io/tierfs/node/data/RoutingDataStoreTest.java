package io.tierfs.node.data;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.DataStore;
import io.tierfs.tier.MoverStatus;
import io.tierfs.tier.TierUsage;
import io.tierfs.tier.net.ChunkClient;
import io.tierfs.tier.net.ChunkServer;
import io.tierfs.tier.net.DataPlaneSettings;
import io.tierfs.tier.net.FileDataRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each call goes to the file's data home: here (or unknown home) the local store, else the home over TCP. */
class RoutingDataStoreTest {
    private final Bytes local = new Bytes();
    private final Bytes remote = new Bytes();
    private final List<String> forgotten = new ArrayList<>();
    private ChunkServer server;
    private InetSocketAddress remoteAt;
    private RoutingDataStore routing;

    @BeforeEach
    void start() {
        server = new ChunkServer(new FileDataRepository(remote), "127.0.0.1", 0);
        remoteAt = server.address();
        Map<Long, String> homes = Map.of(1L, "self", 2L, "b");
        routing = new RoutingDataStore(local, "self", ino -> Optional.ofNullable(homes.get(ino)),
                new RoutingDataStore.Peers() {
                    @Override
                    public InetSocketAddress of(String member) {
                        if (!member.equals("b")) {
                            throw FsException.of(Errno.EIO, "no member %s", member);
                        }
                        return remoteAt;
                    }

                    @Override
                    public void forget(String member) {
                        forgotten.add(member);
                    }
                }, new ChunkClient(DataPlaneSettings.defaults().withConnectTimeout(Duration.ofSeconds(1))));
    }

    @AfterEach
    void stop() {
        routing.close();
        server.close();
    }

    @Test
    void callsGoToTheHome() {
        routing.write(1, 0, utf8("mine"));
        routing.write(2, 3, utf8("theirs"));
        routing.write(3, 0, utf8("old data")); // unknown home: local, as before homes were recorded
        assertEquals("mine", local.text(1));
        assertEquals("\0\0\0theirs", remote.text(2));
        assertEquals("old data", local.text(3));
        assertFalse(local.files.containsKey(2L));
        ByteBuffer b = ByteBuffer.allocate(9);
        assertEquals(9, routing.read(2, 0, b));
        assertEquals("\0\0\0theirs", new String(b.array(), StandardCharsets.UTF_8));
        routing.truncate(2, 5);
        assertEquals("\0\0\0th", remote.text(2));
        routing.fsync(2);
        assertEquals(List.of(2L), remote.fsynced);
        routing.delete(2);
        assertFalse(remote.files.containsKey(2L));
        routing.delete(1);
        assertFalse(local.files.containsKey(1L));
    }

    @Test
    void appendsGoToTheHomeAndLandAtTheEndItKnows() {
        routing.write(2, 0, utf8("abc"));
        assertEquals(3, routing.append(2, 0, utf8("de")), "after the home's data, not at the end the caller knew");
        assertEquals(10, routing.append(2, 10, utf8("f")), "after a larger size the caller knows");
        assertEquals("abcde\0\0\0\0\0f", remote.text(2));
        assertEquals(0, routing.append(1, 0, utf8("mine")), "a local file appends locally");
        assertEquals("mine", local.text(1));
    }

    @Test
    void anUnreachableHomeFailsWithEioNamingIt() {
        server.close();
        FsException e = assertThrows(FsException.class, () -> routing.read(2, 0, ByteBuffer.allocate(10)));
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.getMessage().contains("data home b"), e.getMessage());
        assertTrue(e.getMessage().contains("inode 2"), e.getMessage());
        assertEquals(List.of("b"), forgotten, "its address is looked up again next time");
        assertThrows(FsException.class, () -> routing.write(2, 0, utf8("x")));
        assertThrows(FsException.class, () -> routing.fsync(2));
        assertThrows(FsException.class, () -> routing.append(2, 0, utf8("x")));
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A data store in memory: one growing array per inode. */
    private static final class Bytes implements DataStore {
        final Map<Long, byte[]> files = new ConcurrentHashMap<>();
        final List<Long> fsynced = new ArrayList<>();

        String text(long ino) {
            return new String(files.get(ino), StandardCharsets.UTF_8);
        }

        @Override
        public synchronized int read(long ino, long offset, ByteBuffer dst) {
            byte[] f = files.getOrDefault(ino, new byte[0]);
            int n = dst.remaining();
            for (int i = 0; i < n; i++) {
                long p = offset + i;
                dst.put(p < f.length ? f[(int) p] : 0);
            }
            return n;
        }

        @Override
        public synchronized long append(long ino, long knownEnd, ByteBuffer src) {
            long at = Math.max(knownEnd, files.getOrDefault(ino, new byte[0]).length);
            write(ino, at, src);
            return at;
        }

        @Override
        public synchronized void write(long ino, long offset, ByteBuffer src) {
            byte[] f = files.getOrDefault(ino, new byte[0]);
            int n = src.remaining();
            if (offset + n > f.length) {
                f = Arrays.copyOf(f, (int) offset + n);
            }
            src.get(f, (int) offset, n);
            files.put(ino, f);
        }

        @Override
        public synchronized void truncate(long ino, long size) {
            files.put(ino, Arrays.copyOf(files.getOrDefault(ino, new byte[0]), (int) size));
        }

        @Override
        public synchronized void fsync(long ino) {
            fsynced.add(ino);
        }

        @Override
        public void delete(long ino) {
            files.remove(ino);
        }

        @Override
        public List<ChunkPlacement> where(long ino) {
            return List.of();
        }

        @Override
        public List<TierUsage> usage() {
            return List.of();
        }

        @Override
        public MoverStatus moverStatus() {
            return null;
        }

        @Override
        public void close() {
        }
    }
}
