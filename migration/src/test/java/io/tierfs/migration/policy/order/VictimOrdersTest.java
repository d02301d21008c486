package io.tierfs.migration.policy.order;

import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.FileStat;
import io.tierfs.migration.policy.Heat;
import io.tierfs.migration.policy.SizeOrder;
import io.tierfs.migration.policy.VictimOrder;
import io.tierfs.migration.policy.doc.OrderKind;
import io.tierfs.migration.policy.expr.Expression;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VictimOrdersTest {
    static final long H = 3_600_000L;
    static final long NOW = 10 * H;

    // ino, size, mtime, atime, heat (value, at), accesses
    static final List<FileInfo> FILES = List.of(
            f(1, 100, 5 * H, 9 * H, new Heat(4, 9 * H), 10),
            f(2, 300, 1 * H, 8 * H, new Heat(16, 6 * H), 3),
            f(3, 200, 3 * H, 7 * H, new Heat(2, 9 * H), 3),
            f(4, 50, 2 * H, 6 * H, new Heat(1, 0), 40));

    static FileInfo f(long ino, long size, long mtime, long atime, Heat heat, long accesses) {
        return FileInfo.of(ino, "/f" + ino, size, 0).withTimes(mtime, atime).withHeat(heat, accesses);
    }

    static List<Long> order(FileOrder o) {
        List<Long> viaSorted = o.sorted(FILES, NOW).stream().map(FileInfo::ino).toList();
        List<FileInfo> copy = new ArrayList<>(FILES);
        copy.sort(o.at(NOW));
        assertEquals(viaSorted, copy.stream().map(FileInfo::ino).toList(), "sorted() and at() agree");
        return viaSorted;
    }

    @Test
    void eachOrder() {
        assertEquals(List.of(4L, 3L, 2L, 1L), order(VictimOrders.of(OrderKind.LRU, null, H)));
        // accesses 3, 3 (tie: older atime first = ino 3), 10, 40
        assertEquals(List.of(3L, 2L, 1L, 4L), order(VictimOrders.of(OrderKind.LFU, null, H)));
        // heats at 10h: 1: 4/2 = 2, 2: 16/16 = 1, 3: 2/2 = 1, 4: ~0 -> 4, then 2 and 3 tie at 1 -> by ino
        assertEquals(List.of(4L, 2L, 3L, 1L), order(VictimOrders.of(OrderKind.HEAT, null, H)));
        assertEquals(List.of(2L, 3L, 1L, 4L), order(VictimOrders.of(OrderKind.SIZE, null, H)));
        assertEquals(List.of(2L, 4L, 3L, 1L), order(VictimOrders.of(OrderKind.AGE, null, H)));
        // weight = accesses * 10 - size: 1: 0, 2: -270, 3: -170, 4: 350 -> highest first
        assertEquals(List.of(4L, 1L, 3L, 2L),
                order(VictimOrders.of(OrderKind.WEIGHT, Expression.compile("accesses * 10 - size"), H)));
        // a weight of heat and age: age_atime in seconds
        assertEquals(List.of(4L, 3L, 2L, 1L),
                order(VictimOrders.of(OrderKind.WEIGHT, Expression.compile("age_atime / 1h"), H)));
        assertThrows(IllegalArgumentException.class, () -> VictimOrders.of(OrderKind.WEIGHT, null, H));
    }

    @Test
    void tiesAreBrokenByInode() {
        List<FileInfo> same = List.of(FileInfo.of(9, "/a", 1, 0), FileInfo.of(3, "/b", 1, 0),
                FileInfo.of(5, "/c", 1, 0));
        for (OrderKind k : OrderKind.values()) {
            FileOrder o = VictimOrders.of(k, Expression.compile("1"), H);
            assertEquals(List.of(3L, 5L, 9L), o.sorted(same, NOW).stream().map(FileInfo::ino).toList(), k.name());
        }
    }

    @Test
    void adaptsToTheExistingVictimOrder() {
        Map<Long, FileInfo> facts = Map.of(1L, FILES.get(0), 2L, FILES.get(1), 3L, FILES.get(2));
        VictimOrder heat = VictimOrders.forStats(VictimOrders.of(OrderKind.HEAT, null, H), facts::get, 0);
        List<FileStat> stats = new ArrayList<>(List.of(new FileStat(1, 100, 0), new FileStat(2, 300, 0),
                new FileStat(3, 200, 0), new FileStat(4, 50, 0)));
        stats.sort(heat.at(NOW));
        // ino 4 unknown to facts: cold (heat 0) -> first
        assertEquals(List.of(4L, 2L, 3L, 1L), stats.stream().map(FileStat::ino).toList());

        stats.sort(new SizeOrder().at(NOW));
        assertEquals(List.of(2L, 3L, 1L, 4L), stats.stream().map(FileStat::ino).toList());
    }
}
