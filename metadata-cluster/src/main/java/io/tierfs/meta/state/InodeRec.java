package io.tierfs.meta.state;

import io.tierfs.common.Attr;

import java.util.Map;
import java.util.TreeMap;

/**
 * An inode's mutable record inside a directory state: its attributes, symlink target and xattrs. Used for the
 * directory itself and for the inodes homed in it. Mutated only by {@link DirState#apply}.
 */
public final class InodeRec {
    Attr attr;
    final String target;
    final TreeMap<String, byte[]> xattrs;

    InodeRec(Attr attr, String target, Map<String, byte[]> xattrs) {
        this.attr = attr;
        this.target = target;
        this.xattrs = new TreeMap<>(xattrs);
    }

    public Attr attr() {
        return attr;
    }

    public String target() {
        return target;
    }

    InodeSnapshot snapshot() {
        return new InodeSnapshot(attr, target, new TreeMap<>(xattrs));
    }
}
