package io.tierfs.meta.api;

import io.tierfs.common.Attr;
import io.tierfs.common.InodeRef;

/**
 * What an unlink or a rename-over removed. {@code lastLink} is true when the inode has no name left: its data
 * may be freed as soon as no open handle refers to it.
 */
public record Removal(InodeRef ref, Attr attr, boolean lastLink) {
}
