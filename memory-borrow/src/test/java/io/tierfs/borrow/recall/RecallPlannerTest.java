package io.tierfs.borrow.recall;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tierfs.borrow.recall.RecallStep.Action.DROP;
import static io.tierfs.borrow.recall.RecallStep.Action.FLUSH_DOWN;
import static io.tierfs.borrow.recall.RecallStep.Action.MOVE_TO_LENDER;
import static io.tierfs.borrow.recall.RecallStep.Action.PROMOTE_REPLICA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecallPlannerTest {
    private static final long MIB = 1L << 20;
    private static final long CHUNK = 4 * MIB;

    private static LentChunk clean(long ino, int index) {
        return new LentChunk(ino, index, CHUNK, false, true, null);
    }

    private static LentChunk dirty(long ino, int index) {
        return new LentChunk(ino, index, CHUNK, true, false, null);
    }

    private static List<RecallStep.Action> actions(RecallPlan p) {
        return p.steps().stream().map(RecallStep::action).toList();
    }

    @Test
    void allCleanOnlyDrops() {
        RecallPlan p = RecallPlanner.plan("node-b", List.of(clean(1, 0), clean(1, 1), clean(2, 0)), Map.of(), 0);
        assertEquals(List.of(DROP, DROP, DROP), actions(p));
        assertTrue(p.complete());
        assertEquals(3 * CHUNK, p.bytes(DROP));
        assertEquals("", p.unplaceableReason());
    }

    @Test
    void dropsComeFirstThenDirtyChunksAreFlushedWhileThereIsRoom() {
        RecallPlan p = RecallPlanner.plan("node-b", List.of(dirty(2, 0), clean(1, 0), dirty(1, 3)), Map.of(), GIB());
        assertEquals(List.of(DROP, FLUSH_DOWN, FLUSH_DOWN), actions(p));
        assertEquals(List.of("1.0", "1.3", "2.0"), p.steps().stream().map(s -> s.chunk().toString()).toList(),
                "dirty chunks in (ino, index) order");
        assertTrue(p.complete());
    }

    @Test
    void aCleanLookingChunkWithoutADurableCopyIsNeverDropped() {
        LentChunk onlyCopy = new LentChunk(7, 0, CHUNK, false, false, null);
        LentChunk staleCopy = new LentChunk(7, 1, CHUNK, true, true, null);
        RecallPlan p = RecallPlanner.plan("node-b", List.of(onlyCopy, staleCopy), Map.of(), GIB());
        assertEquals(List.of(FLUSH_DOWN, FLUSH_DOWN), actions(p));
        assertThrows(IllegalArgumentException.class, () -> new RecallStep(DROP, onlyCopy, null));
    }

    @Test
    void noDurableRoomButAnotherLenderHasRoom_moves() {
        RecallPlan p = RecallPlanner.plan("node-b", List.of(dirty(1, 0), dirty(1, 1), dirty(1, 2)),
                Map.of("node-c", 8 * MIB, "node-d", 4 * MIB, "node-b", 100 * MIB), 0);
        assertEquals(List.of(MOVE_TO_LENDER, MOVE_TO_LENDER, MOVE_TO_LENDER), actions(p));
        assertEquals(List.of("node-c", "node-c", "node-d"), p.steps().stream().map(RecallStep::target).toList(),
                "roomiest first; never the recalled lender itself");
        assertTrue(p.complete());
    }

    @Test
    void flushesWhileDurableRoomLastsThenMoves() {
        RecallPlan p = RecallPlanner.plan("node-b", List.of(dirty(1, 0), dirty(1, 1), dirty(1, 2)),
                Map.of("node-c", 100 * MIB), 2 * CHUNK + 1);
        assertEquals(List.of(FLUSH_DOWN, FLUSH_DOWN, MOVE_TO_LENDER), actions(p));
    }

    @Test
    void nowhereToGo_unplaceableWithAClearReasonAndNoLossyStep() {
        List<LentChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            chunks.add(dirty(5, i));
        }
        chunks.add(clean(6, 0));
        RecallPlan p = RecallPlanner.plan("node-b", chunks, Map.of(), 0);
        assertFalse(p.complete());
        assertEquals(12, p.unplaceable().size());
        assertEquals(48 * MIB, p.unplaceableBytes());
        assertEquals("12 dirty chunks (48 MiB) have nowhere to go: durable tiers have 0 B free and no other lender"
                + " has room", p.unplaceableReason());
        assertEquals(List.of(DROP), actions(p), "the clean chunk still goes, no dirty chunk is touched");
        for (RecallStep s : p.steps()) {
            assertFalse(s.action() == DROP && !s.chunk().clean(), "a dirty chunk is never dropped");
        }
        assertTrue(p.summary().contains("have nowhere to go"), p.summary());
    }

    @Test
    void tooLittleRoomIsSaidAsSuch() {
        RecallPlan p = RecallPlanner.plan("node-b", List.of(dirty(1, 0), dirty(1, 1)), Map.of("node-c", 3 * MIB), 5 * MIB);
        assertEquals(List.of(FLUSH_DOWN), actions(p));
        assertEquals("1 dirty chunk (4 MiB) has nowhere to go: durable tiers have 5 MiB free and other lenders 3 MiB,"
                + " too little for the rest", p.unplaceableReason());
    }

    @Test
    void aDirtyChunkWithAReplicaOnAUsableLenderIsPromoted() {
        LentChunk replicated = new LentChunk(3, 0, CHUNK, true, false, "node-c");
        LentChunk replicaOnGoneLender = new LentChunk(3, 1, CHUNK, true, false, "node-x");
        LentChunk cleanReplicated = new LentChunk(3, 2, CHUNK, false, true, "node-c");
        RecallPlan p = RecallPlanner.plan("node-b", List.of(replicated, replicaOnGoneLender, cleanReplicated),
                Map.of("node-c", 0L), 0);
        assertEquals(List.of(DROP, PROMOTE_REPLICA), actions(p));
        assertEquals("node-c", p.steps().get(1).target());
        assertEquals(List.of(replicaOnGoneLender), p.unplaceable(), "its replica's lender is not usable: needs a place");
    }

    @Test
    void everyChunkIsEitherStepOrUnplaceable() {
        List<LentChunk> chunks = List.of(clean(1, 0), dirty(1, 1), dirty(1, 2), dirty(1, 3),
                new LentChunk(1, 4, CHUNK, true, false, "node-c"));
        RecallPlan p = RecallPlanner.plan("node-b", chunks, Map.of("node-c", CHUNK), CHUNK);
        assertEquals(chunks.size(), p.steps().size() + p.unplaceable().size());
        assertEquals(1, p.count(DROP));
        assertEquals(1, p.count(PROMOTE_REPLICA));
        assertEquals(1, p.count(FLUSH_DOWN));
        assertEquals(1, p.count(MOVE_TO_LENDER));
        assertEquals(1, p.unplaceable().size());
    }

    private static long GIB() {
        return 1L << 30;
    }
}
