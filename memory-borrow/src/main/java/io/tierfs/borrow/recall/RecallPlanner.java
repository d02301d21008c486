package io.tierfs.borrow.recall;

import io.tierfs.borrow.ByteSizes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plans how a borrower empties a recalled lender (pure). In order:
 * <ol>
 *   <li>DROP every clean chunk (a durable copy exists): free at once, and most of a lender's memory should be clean
 *       since the flusher copies dirty chunks down within the flush interval;</li>
 *   <li>PROMOTE_REPLICA for a dirty chunk whose replica lives on a usable lender: no copy at all;</li>
 *   <li>FLUSH_DOWN other dirty chunks while the durable tiers have room: afterwards the data is also durable;</li>
 *   <li>MOVE_TO_LENDER for the rest, each to the usable lender with the most room left (ties by name);</li>
 *   <li>what is left is unplaceable: it stays, the recall cannot finish, and the plan says why in one line.</li>
 * </ol>
 * Dirty chunks are taken in (ino, index) order, so that a file's chunks tend to go to the same place.
 */
public final class RecallPlanner {
    private RecallPlanner() {
    }

    /**
     * @param lender            the recalled lender
     * @param chunks            the borrower's chunks on it
     * @param otherLenderRoom   usable OTHER lenders (not being recalled) -> free bytes within this borrower's leases
     *                          there; a replica is promoted only on a lender listed here (room may be 0)
     * @param durableRoomBytes  free bytes on the durable tiers
     */
    public static RecallPlan plan(String lender, List<LentChunk> chunks, Map<String, Long> otherLenderRoom,
                                  long durableRoomBytes) {
        Map<String, Long> room = new TreeMap<>(otherLenderRoom);
        room.remove(lender);
        room.replaceAll((k, v) -> Math.max(0, v));
        long totalLenderRoom = room.values().stream().mapToLong(Long::longValue).sum();
        long durable = Math.max(0, durableRoomBytes);

        List<RecallStep> drops = new ArrayList<>();
        List<RecallStep> promotes = new ArrayList<>();
        List<RecallStep> flushes = new ArrayList<>();
        List<RecallStep> moves = new ArrayList<>();
        List<LentChunk> unplaceable = new ArrayList<>();
        List<LentChunk> dirty = new ArrayList<>();
        for (LentChunk c : chunks) {
            if (c.clean()) {
                drops.add(new RecallStep(RecallStep.Action.DROP, c, null));
            } else {
                dirty.add(c);
            }
        }
        dirty.sort(Comparator.comparingLong(LentChunk::ino).thenComparingInt(LentChunk::index));
        for (LentChunk c : dirty) {
            String replica = c.replicaLender();
            if (replica != null && !replica.equals(lender) && room.containsKey(replica)) {
                promotes.add(new RecallStep(RecallStep.Action.PROMOTE_REPLICA, c, replica));
            } else if (c.length() <= durable) {
                durable -= c.length();
                flushes.add(new RecallStep(RecallStep.Action.FLUSH_DOWN, c, null));
            } else {
                String best = roomiest(room, c.length());
                if (best != null) {
                    room.merge(best, -c.length(), Long::sum);
                    moves.add(new RecallStep(RecallStep.Action.MOVE_TO_LENDER, c, best));
                } else {
                    unplaceable.add(c);
                }
            }
        }
        List<RecallStep> steps = new ArrayList<>(drops);
        steps.addAll(promotes);
        steps.addAll(flushes);
        steps.addAll(moves);
        String reason = unplaceable.isEmpty() ? "" : reason(unplaceable, durableRoomBytes, totalLenderRoom);
        return new RecallPlan(lender, steps, unplaceable, reason);
    }

    private static String roomiest(Map<String, Long> room, long need) {
        String best = null;
        long bestRoom = -1;
        for (Map.Entry<String, Long> e : room.entrySet()) {
            if (e.getValue() >= need && e.getValue() > bestRoom) {
                best = e.getKey();
                bestRoom = e.getValue();
            }
        }
        return best;
    }

    private static String reason(List<LentChunk> left, long durableRoom, long lenderRoom) {
        long bytes = left.stream().mapToLong(LentChunk::length).sum();
        String what = left.size() + " dirty chunk" + (left.size() == 1 ? "" : "s") + " (" + ByteSizes.human(bytes) + ")"
                + (left.size() == 1 ? " has" : " have") + " nowhere to go: durable tiers have "
                + ByteSizes.human(Math.max(0, durableRoom)) + " free and ";
        if (lenderRoom == 0) {
            return what + "no other lender has room";
        }
        return what + "other lenders " + ByteSizes.human(lenderRoom) + ", too little for the rest";
    }
}
