package io.tierfs.meta.state;

import io.tierfs.common.Attr;

import java.util.Map;

/** Immutable form of an {@link InodeRec} inside a {@link DirSnapshot}. */
public record InodeSnapshot(Attr attr, String target, Map<String, byte[]> xattrs) implements CborSerializable {
}
