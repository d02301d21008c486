package io.tierfs.meta.api;

import io.tierfs.common.Attr;
import io.tierfs.common.InodeRef;

/** An inode found by name: where it lives and its attributes at the time of the answer. */
public record Node(InodeRef ref, Attr attr) {
}
