package io.tierfs.meta.state;

import java.util.List;

/**
 * A range of inode numbers reserved by one cluster member: {@code [start, start + count)}. The member that reserved
 * a file's number is the file's <em>data home</em> (its bytes live in that member's tiers). A range never changes
 * once persisted, so anyone may cache it forever. {@code member} is null when unknown (a reservation persisted before
 * members were recorded: single-node data, treated as local by everyone).
 */
public record InoRange(long start, long count, String member) implements CborSerializable {

    public boolean contains(long ino) {
        return ino >= start && ino - start < count;
    }

    /** The range of {@code sorted} (ascending, disjoint) that holds {@code ino}, or null. */
    public static InoRange find(List<InoRange> sorted, long ino) {
        int lo = 0;
        int hi = sorted.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            InoRange r = sorted.get(mid);
            if (ino < r.start()) {
                hi = mid - 1;
            } else if (r.contains(ino)) {
                return r;
            } else {
                lo = mid + 1;
            }
        }
        return null;
    }
}
