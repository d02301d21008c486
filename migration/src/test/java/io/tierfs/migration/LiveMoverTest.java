package io.tierfs.migration;

import io.tierfs.common.config.TierFsConfig;
import io.tierfs.migration.live.MoveRecord;
import io.tierfs.migration.live.MoveState;
import io.tierfs.migration.live.PrestageStatus;
import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.Policies;
import io.tierfs.migration.policy.Policy;
import io.tierfs.migration.policy.plan.MoveKind;
import io.tierfs.migration.policy.plan.PrestageRequest;
import io.tierfs.tier.ChunkPlacement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static io.tierfs.migration.TestSupport.random;
import static io.tierfs.migration.TestSupport.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The policy-driven live mover on a real engine: promotion, demotion, pins, pre-stage, live policy change. */
class LiveMoverTest {
    static final int CS = 64 * 1024;
    static final long BIG = 1L << 30;

    @TempDir
    Path tmp;
    Path dram;
    TieredStorage store;
    final AtomicReference<Policy> policy = new AtomicReference<>();
    final Map<Long, String> paths = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        dram = Path.of("/dev/shm", "tierfs-live-test-" + UUID.randomUUID());
        policy.set(policy(null, ""));
    }

    @AfterEach
    void tearDown() {
        TestSupport.closeAndDelete(store, dram);
    }

    static Policy policy(Double promotionHeat, String rules) {
        String promo = promotionHeat == null ? "" : ", \"promotionHeat\": " + promotionHeat;
        return Policies.parse("""
                {"tiers": [
                  {"name": "dram", "highWatermark": 0.9, "lowWatermark": 0.5%s},
                  {"name": "ssd", "highWatermark": 0.9, "lowWatermark": 0.5},
                  {"name": "hdd", "highWatermark": 0.9, "lowWatermark": 0.5}],
                 "mover": {"concurrency": 2},
                 "rules": [%s]}""".formatted(promo, rules));
    }

    TieredStorage open(long dramCap) {
        TierFsConfig cfg = TestSupport.config(tmp, dram, CS, dramCap, BIG, BIG, Duration.ofMillis(50), null);
        store = TieredStorage.openWithPolicy(cfg, Clock.systemUTC(), "local", policy::get, false);
        store.liveMover().orElseThrow().facts(ino -> {
            String p = paths.get(ino);
            return p == null ? null : FileInfo.of(ino, p, 0, 0);
        });
        return store;
    }

    byte[] put(long ino, String path, int n) {
        byte[] data = random(ino, n);
        store.write(ino, 0, ByteBuffer.wrap(data));
        store.fsync(ino);
        paths.put(ino, path);
        return data;
    }

    Set<String> tiersOf(long ino) {
        return store.where(ino).stream().map(ChunkPlacement::tier).collect(Collectors.toSet());
    }

    void toHdd() {
        store.demoteAll();
        store.demoteAll();
    }

    void round() {
        store.runMoverOnce();
        assertTrue(store.awaitIdle(Duration.ofSeconds(30)), "mover idle");
    }

    @Test
    void hotFileIsPromotedToDramKeepingItsDurableCopy() {
        open(BIG);
        byte[] data = put(1, "/hot", 5 * CS);
        toHdd();
        assertEquals(Set.of("hdd"), tiersOf(1));
        policy.set(policy(3.0, ""));
        round();
        assertEquals(Set.of("hdd"), tiersOf(1), "cold: not promoted");
        for (int i = 0; i < 4; i++) {
            store.accessed(1);
        }
        round();
        assertEquals(Set.of("dram"), tiersOf(1));
        assertTrue(store.where(1).stream().allMatch(c -> "hdd".equals(c.durableTier())), "durable copy kept");
        assertArrayEquals(data, read(store, 1, 0, data.length));
        List<MoveRecord> moves = store.liveMover().orElseThrow().migrations();
        assertTrue(moves.stream().anyMatch(m -> m.kind() == MoveKind.PROMOTION && m.state() == MoveState.DONE
                && m.bytesMoved() == 5L * CS && m.path().equals("/hot")), moves.toString());

        // a reboot loses DRAM: the durable copy the promotion kept still holds the data
        store.close();
        store = null;
        TestSupport.deleteTree(dram);
        open(BIG);
        assertArrayEquals(data, read(store, 1, 0, data.length));
    }

    @Test
    void coldFilesAreDemotedAndPinnedOrExcludedOnesNeverMove() {
        open(8L * CS + CS / 2);
        put(1, "/cold", 4 * CS);
        put(2, "/keep/pinned", 4 * CS);
        policy.set(policy(null, """
                {"match": {"paths": "/keep/**"}, "action": {"pin": "dram"}}"""));
        round();
        assertEquals(Set.of("dram"), tiersOf(2), "pinned stays");
        assertTrue(!tiersOf(1).contains("dram"), "cold file demoted: " + tiersOf(1));

        // pinned to hdd: pulled down; hot and excluded: never promoted
        put(3, "/x/excluded", CS);
        toHdd();
        policy.set(policy(1.0, """
                {"match": {"paths": "/keep/**"}, "action": {"pin": "hdd"}},
                {"match": {"paths": "/x/**"}, "action": {"exclude": true}}"""));
        for (int i = 0; i < 5; i++) {
            store.accessed(2);
            store.accessed(3);
        }
        round();
        assertEquals(Set.of("hdd"), tiersOf(2));
        assertEquals(Set.of("hdd"), tiersOf(3));
    }

    @Test
    void prestageBringsMatchingFilesUpBeforeTheDeadlineAndReportsDone() {
        open(BIG);
        byte[] a = put(1, "/job/a.dat", 3 * CS);
        put(2, "/job/b.dat", 2 * CS);
        put(3, "/other", CS);
        toHdd();
        LiveMover m = store.liveMover().orElseThrow();
        long deadline = System.currentTimeMillis() + 60_000;
        m.prestage(new PrestageRequest("p1", List.of("/job/*.dat"), "ssd", deadline));
        TestSupport.await("pre-stage done", 30_000,
                () -> m.prestageStatus("p1").map(s -> s.state().equals("DONE")).orElse(false));
        PrestageStatus s = m.prestageStatus("p1").orElseThrow();
        assertEquals(2, s.filesMatched());
        assertEquals(5L * CS, s.bytesDone());
        assertTrue(System.currentTimeMillis() < deadline);
        assertEquals(Set.of("ssd"), tiersOf(1));
        assertEquals(Set.of("hdd"), tiersOf(3));
        assertArrayEquals(a, read(store, 1, 0, a.length));
        assertTrue(m.migrations().stream().anyMatch(r -> r.kind() == MoveKind.PRESTAGE && "p1".equals(r.prestageId())));
    }

    @Test
    void cancelledPrestageStops() {
        open(BIG);
        put(1, "/job/a.dat", CS);
        toHdd();
        LiveMover m = store.liveMover().orElseThrow();
        m.prestage(new PrestageRequest("p2", List.of("/nothing/*"), "dram", System.currentTimeMillis() + 60_000));
        assertEquals("CANCELLED", m.cancelPrestage("p2").orElseThrow().state());
        round();
        assertEquals("CANCELLED", m.prestageStatus("p2").orElseThrow().state());
        assertTrue(m.cancelPrestage("nope").isEmpty());
    }

    @Test
    void newDataOfAMatchingFileLandsOnItsPlacementTierUntilTheInodeIsDeleted() {
        policy.set(policy(null, """
                {"name": "scratch-on-ssd", "match": {"paths": ["/scratch/**"]}, "action": {"placeOn": "ssd"}}"""));
        open(BIG);
        store.created(1, "/scratch/a", 1000, 1000);
        store.created(2, "/home/b", 1000, 1000);
        byte[] a = random(1, 3 * CS);
        byte[] b = random(2, 3 * CS);
        store.write(1, 0, ByteBuffer.wrap(a));
        store.write(2, 0, ByteBuffer.wrap(b));
        assertEquals(Set.of("ssd"), tiersOf(1), "rule placeOn ssd");
        assertEquals(Set.of("dram"), tiersOf(2), "no rule: fastest tier with room");
        ByteBuffer back = ByteBuffer.allocate(a.length);
        store.read(1, 0, back);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, back.array());
        store.delete(1);
        store.write(1, 0, ByteBuffer.wrap(a));   // the inode number reused after delete: placement forgotten
        assertEquals(Set.of("dram"), tiersOf(1));
    }
}
