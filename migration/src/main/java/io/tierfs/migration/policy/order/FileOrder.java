package io.tierfs.migration.policy.order;

import io.tierfs.migration.policy.FileInfo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A victim order over {@link FileInfo} (first victim first), for the orders that need more than the engine's
 * {@code FileStat} (LFU, heat, age, weight). Every order breaks ties by inode then tier, so plans are
 * deterministic. {@link VictimOrders#forStats} adapts one to the existing {@code VictimOrder}.
 */
public interface FileOrder {

    Comparator<FileInfo> TIE = Comparator.comparingLong(FileInfo::ino).thenComparingInt(FileInfo::tier);

    /** The order at {@code nowMillis} (heat and ages depend on it). */
    Comparator<FileInfo> at(long nowMillis);

    /** The order's name as the policy document spells it ("lru", "heat", ...). */
    String name();

    /** {@code files} sorted, first victim first. Orders with costly keys override this to compute each key once. */
    default List<FileInfo> sorted(Collection<FileInfo> files, long nowMillis) {
        List<FileInfo> out = new ArrayList<>(files);
        out.sort(at(nowMillis));
        return out;
    }

    /** The value this order sorts by, for explanations (e.g. the heat, the weight, the atime). */
    double key(FileInfo f, long nowMillis);
}
