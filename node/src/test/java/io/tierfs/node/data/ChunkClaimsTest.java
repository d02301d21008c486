package io.tierfs.node.data;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.net.ClaimAsk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The home's claims: first asker wins, data here wins, answers are final, the log survives restarts and tears. */
class ChunkClaimsTest {
    @TempDir
    Path dir;
    /** Chunk indexes the "local store" holds, by inode. */
    private final Map<Long, List<Integer>> here = new ConcurrentHashMap<>();

    private ChunkClaims open() {
        return open(1);
    }

    /** Claims of units of 1/{@code unitsPerChunk} of a 64-byte chunk. */
    private ChunkClaims open(int unitsPerChunk) {
        return new ChunkClaims(dir, "home", ino -> {
            List<ChunkPlacement> out = new ArrayList<>();
            for (int c : here.getOrDefault(ino, List.of())) {
                out.add(new ChunkPlacement(c, "ssd", "n", 0, 1, false, "ssd"));
            }
            return out;
        }, 64 / unitsPerChunk, 64);
    }

    /** A claim of {@code count} units from {@code first}, one after the other, in this test's 64-byte units. */
    private static ClaimAsk ask(long first, int count, String member) {
        return new ClaimAsk(first, count, 1, 64, member);
    }

    @Test
    void theFirstAskerGetsAChunkTheHomeKeepsChunksItHoldsDataInAndAnswersNeverChange() {
        here.put(7L, List.of(1));
        try (ChunkClaims c = open()) {
            assertEquals(List.of("m1", "home", "m1"), c.claim(7, ask(0, 3, "m1")));
            assertEquals(List.of("m1", "home", "m1", "m2"), c.claim(7, ask(0, 4, "m2")), "earlier answers stand");
            assertEquals("m1", c.elsewhere(7, 0));
            assertNull(c.elsewhere(7, 1), "the home's own chunk");
            assertNull(c.elsewhere(7, 9), "unclaimed: the home's");
            assertEquals(Set.of("m1", "m2"), c.othersOf(7));
            assertTrue(c.anyElsewhere(7));
            assertEquals(Set.of(), c.othersOf(8));
        }
    }

    @Test
    void claimsSurviveARestartAndADeleteEndsThem() {
        try (ChunkClaims c = open()) {
            c.claim(7, ask(0, 2, "m1"));
            c.claim(9, ask(5, 1, "m2"));
            c.forget(7);
            c.force();
        }
        try (ChunkClaims c = open()) {
            assertNull(c.elsewhere(7, 0), "deleted before the restart");
            assertEquals("m2", c.elsewhere(9, 5));
            assertEquals(List.of("m3"), c.claim(7, ask(0, 1, "m3")), "a deleted file's chunks are free again");
        }
        try (ChunkClaims c = open()) {
            assertEquals("m3", c.elsewhere(7, 0));
            assertEquals("m2", c.elsewhere(9, 5));
        }
    }

    @Test
    void aLogOfLargerUnitsIsReadInSmallerOnesAndALogOfSmallerUnitsIsRefused() throws Exception {
        try (ChunkClaims c = open()) {
            c.claim(7, ask(2, 1, "m1")); // chunk-sized units: bytes 128..191
        }
        try (ChunkClaims c = open(4)) {
            for (long u = 8; u < 12; u++) {
                assertEquals("m1", c.elsewhere(7, u), "unit " + u + " of the 16-byte units of bytes 128..191");
            }
            assertNull(c.elsewhere(7, 12));
            assertEquals(List.of("m1"), c.claim(7, new ClaimAsk(9, 1, 1, 16, "m2")), "the answer stands");
            FsException e = assertThrows(FsException.class, () -> c.claim(7, ask(3, 1, "m2")));
            assertEquals(Errno.EINVAL, e.errno(), "a member with another unit is refused: " + e.getMessage());
        }
        Path log = dir.resolve(ClaimLog.FILE);
        byte[] before = Files.readAllBytes(log);
        FsException e = assertThrows(FsException.class, this::open, "16-byte units cannot become 64-byte ones");
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("tierfs.dataplane.claim-unit"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(log), "the refused log is left as it was");
    }

    @Test
    void aTornOrCorruptTailIsIgnoredAndTheRestIsKept() throws Exception {
        try (ChunkClaims c = open()) {
            c.claim(7, ask(0, 1, "m1"));
            c.claim(7, ask(1, 1, "m2"));
        }
        Path log = dir.resolve(ClaimLog.FILE);
        byte[] whole = Files.readAllBytes(log);
        Files.write(log, java.util.Arrays.copyOf(whole, whole.length - 3)); // the machine stopped mid-record
        try (ChunkClaims c = open()) {
            assertEquals("m1", c.elsewhere(7, 0));
            assertNull(c.elsewhere(7, 1), "the torn claim was never durable");
            c.claim(7, ask(2, 1, "m4"));
        }
        byte[] now = Files.readAllBytes(log);
        now[now.length - 1] ^= 0x55; // the last record's bytes changed: checksum fails
        Files.write(log, now, StandardOpenOption.TRUNCATE_EXISTING);
        try (ChunkClaims c = open()) {
            assertEquals("m1", c.elsewhere(7, 0));
            assertNull(c.elsewhere(7, 2), "a record with a bad checksum ends the log");
        }
    }
}
