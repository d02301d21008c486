package io.tierfs.borrow.lent;

import io.tierfs.borrow.evacuate.Evacuation;
import io.tierfs.borrow.evacuate.EvacuationResult;
import io.tierfs.common.FsException;
import io.tierfs.common.config.TierKind;
import io.tierfs.common.config.TierSpec;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.engine.TierEngine;
import io.tierfs.tier.net.ChunkClient;
import io.tierfs.tier.net.ChunkServer;
import io.tierfs.tier.net.DataPlaneSettings;
import io.tierfs.tier.net.DirectoryChunkRepository;
import io.tierfs.tier.net.QuotaGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lent DRAM tier with real lenders (chunk servers over loopback TCP, repositories in a temp dir) under a real
 * tier engine: striping over lenders, the replica option surviving a lender crash, and evacuations (a recall's
 * borrower side) that finish, or say why not and lose nothing.
 */
class LentSpaceTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private DirectoryChunkRepository repoB;
    private DirectoryChunkRepository repoC;
    private ChunkServer serverB;
    private ChunkServer serverC;
    private LentSpace space;
    private TierEngine engine;

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private void start(int replicas, long durableBytes) {
        repoB = new DirectoryChunkRepository(dir.resolve("lend-b"), QuotaGate.UNLIMITED);
        repoC = new DirectoryChunkRepository(dir.resolve("lend-c"), QuotaGate.UNLIMITED);
        serverB = new ChunkServer(repoB, "127.0.0.1", 0);
        serverC = new ChunkServer(repoC, "127.0.0.1", 0);
        ChunkClient client = new ChunkClient(new DataPlaneSettings(Duration.ofSeconds(1), Duration.ofSeconds(5), 2, 1));
        open.add(serverB);
        open.add(serverC);
        open.add(client);
        space = new LentSpace("a", 64L * MIB, client, replicas);
        space.leaseGranted("b", serverB.address(), 32L * MIB);
        space.leaseGranted("c", serverC.address(), 32L * MIB);
        List<TierSpec> tiers = List.of(
                new TierSpec("dram", TierKind.DRAM, dir.resolve("unused-dram"), 64L * MIB, 0.9, 0.7),
                new TierSpec("ssd", TierKind.SSD, dir.resolve("ssd"), durableBytes, 0.9, 0.7),
                new TierSpec("hdd", TierKind.HDD, dir.resolve("hdd"), durableBytes, 0.9, 0.7));
        engine = new TierEngine(tiers, dir.resolve("layout"), MIB, null, Clock.systemUTC(), "a",
                s -> s.kind() == TierKind.DRAM ? space : TierEngine.localSpace(s));
        open.add(engine);
    }

    private byte[] write(long ino, int bytes, long seed) {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        engine.write(ino, 0, ByteBuffer.wrap(data));
        return data;
    }

    private byte[] read(long ino, int bytes) {
        ByteBuffer b = ByteBuffer.allocate(bytes);
        engine.read(ino, 0, b);
        return b.array();
    }

    private Set<String> nodesOf(long ino) {
        Set<String> out = new HashSet<>();
        for (ChunkPlacement p : engine.where(ino)) {
            out.add(p.node());
        }
        return out;
    }

    @Test
    void chunksAreStripedOverLendersAndCountAgainstTheirLeases() {
        start(0, 256L * MIB);
        byte[] data = write(1, 8 * MIB, 1);
        assertEquals(Set.of("b", "c"), nodesOf(1));
        assertEquals(8L * MIB, repoB.usedBytes("a") + repoC.usedBytes("a"));
        assertArrayEquals(data, read(1, 8 * MIB));
        assertEquals(64L * MIB, engine.usage().get(0).capacityBytes(), "capacity is the sum of the leases");
    }

    @Test
    void withAReplicaDirtyDataSurvivesALenderCrash() throws Exception {
        start(1, 256L * MIB);
        byte[] data = write(1, 8 * MIB, 2);
        assertEquals(8L * MIB, repoB.usedBytes("a"), "every chunk has a copy on b");
        assertEquals(8L * MIB, repoC.usedBytes("a"), "and one on c");
        serverB.close(); // b crashes: the dirty chunks were never flushed
        assertArrayEquals(data, read(1, 8 * MIB), "closed-not-fsynced data read from the replicas");
        byte[] more = write(2, 2 * MIB, 3);
        assertEquals(Set.of("c"), nodesOf(2), "new data goes only to the lender that is left");
        assertArrayEquals(more, read(2, 2 * MIB));
    }

    @Test
    void aPolicyCanAskForReplicasOfSomeFilesOnly() throws Exception {
        start(0, 256L * MIB);
        engine.keepReplicas(1); // what a rule with "dramReplica": true does at create
        byte[] kept = write(1, 4 * MIB, 12);
        write(2, 4 * MIB, 13);
        assertEquals(12L * MIB, repoB.usedBytes("a") + repoC.usedBytes("a"),
                "file 1 twice (4 + 4 MiB), file 2 once (4 MiB)");
        serverB.close();
        assertArrayEquals(kept, read(1, 4 * MIB), "the replicated file survives the lender crash");
        engine.delete(1);
        write(3, 4 * MIB, 14);
        assertEquals(Set.of("c"), nodesOf(3));
    }

    @Test
    void evacuatingTheSurvivorOfALenderCrashKeepsTheReplicasThatAreNowTheOnlyCopies() throws Exception {
        start(1, 256L * MIB);
        byte[] data = write(1, 8 * MIB, 15); // dirty, every chunk on b and on c
        serverC.close();
        space.lenderDown("c"); // c crashed: for chunks whose primary was there, b's replica is the only copy
        EvacuationResult r = new Evacuation(engine, space, 0, Clock.systemUTC())
                .run("b", Instant.now().plusSeconds(60));
        assertTrue(r.complete(), r.summary());
        assertEquals(0, repoB.usedBytes("a"), "b holds nothing of ours any more");
        assertArrayEquals(data, read(1, 8 * MIB), "moved down, never dropped: " + r.summary());
    }

    @Test
    void withoutAReplicaALenderCrashMakesItsDirtyDataUnreadableNotWrong() throws Exception {
        start(0, 256L * MIB);
        byte[] data = write(1, 4 * MIB, 4);
        engine.fsync(1); // durable copies on ssd; the lent copies stay as clean primaries
        write(2, 4 * MIB, 5); // dirty only in lent memory
        serverB.close();
        assertArrayEquals(data, read(1, 4 * MIB), "fsynced data is read from its durable copies");
        FsException e = assertThrows(FsException.class, () -> read(2, 4 * MIB));
        assertEquals(io.tierfs.common.Errno.EIO, e.errno(), "never zeros or stale bytes: " + e.getMessage());
    }

    @Test
    void evacuationDropsCleanChunksFlushesDirtyOnesAndEmptiesTheLender() {
        start(0, 256L * MIB);
        byte[] clean = write(1, 6 * MIB, 6);
        engine.fsync(1);
        byte[] dirty = write(2, 6 * MIB, 7);
        assertTrue(repoB.usedBytes("a") > 0);
        EvacuationResult r = new Evacuation(engine, space, 0, Clock.systemUTC())
                .run("b", Instant.now().plusSeconds(60));
        assertTrue(r.complete(), r.summary());
        assertTrue(r.droppedCleanBytes() > 0 && r.flushedBytes() > 0, r.summary());
        assertEquals(0, repoB.usedBytes("a"), "b holds nothing of ours any more");
        assertFalse(nodesOf(1).contains("b") || nodesOf(2).contains("b"));
        assertArrayEquals(clean, read(1, 6 * MIB));
        assertArrayEquals(dirty, read(2, 6 * MIB));
        assertTrue(space.removeLender("b"));
    }

    @Test
    void evacuationWithNowhereToPutDirtyDataSaysSoAndLosesNothing() {
        start(0, MIB); // ssd and hdd hold 1 MiB each: not enough for the 4 MiB of dirty data on b
        byte[] dirty = write(1, 8 * MIB, 8);
        long onB = repoB.usedBytes("a");
        EvacuationResult r = new Evacuation(engine, space, 0, Clock.systemUTC())
                .run("b", Instant.now().plusSeconds(2));
        assertFalse(r.complete(), r.summary());
        assertTrue(r.summary().contains("no durable tier has room"), r.summary());
        assertTrue(r.remainingChunks() > 0 && repoB.usedBytes("a") > 0, r.summary());
        assertTrue(repoB.usedBytes("a") <= onB);
        assertArrayEquals(dirty, read(1, 8 * MIB), "every byte is still there");
    }
}
