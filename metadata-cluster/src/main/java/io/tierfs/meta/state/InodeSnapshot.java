package io.tierfs.meta.state;

import io.tierfs.common.Attr;

import java.util.List;
import java.util.Map;

/**
 * Immutable form of an {@link InodeRec} inside a {@link DirSnapshot}. {@code linkTokens}: the last idempotency
 * tokens of link adjustments (null in snapshots written before tokens existed).
 */
public record InodeSnapshot(Attr attr, String target, Map<String, byte[]> xattrs, List<Long> linkTokens)
        implements CborSerializable {
    public InodeSnapshot(Attr attr, String target, Map<String, byte[]> xattrs) {
        this(attr, target, xattrs, null);
    }
}
