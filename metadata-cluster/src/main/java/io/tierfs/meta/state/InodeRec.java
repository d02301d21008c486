package io.tierfs.meta.state;

import io.tierfs.common.Attr;

import java.util.ArrayDeque;
import java.util.List;
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
    /** The last {@value #KEEP_TOKENS} tokens of link adjustments applied (see DirCommand.AdjustLink); oldest first. */
    private final ArrayDeque<Long> linkTokens = new ArrayDeque<>(0);
    /**
     * How many tokens an inode remembers: a token only has to outlive the re-drives of its own rename, which are
     * over long before this many later renames replaced names of the same inode.
     */
    static final int KEEP_TOKENS = 16;

    InodeRec(Attr attr, String target, Map<String, byte[]> xattrs) {
        this.attr = attr;
        this.target = target;
        this.xattrs = new TreeMap<>(xattrs);
    }

    static InodeRec restore(InodeSnapshot s) {
        InodeRec r = new InodeRec(s.attr(), s.target(), s.xattrs() == null ? Map.of() : s.xattrs());
        if (s.linkTokens() != null) {
            r.linkTokens.addAll(s.linkTokens());
        }
        return r;
    }

    boolean appliedToken(long token) {
        return token != 0 && linkTokens.contains(token);
    }

    void noteToken(long token) {
        if (token != 0 && !linkTokens.contains(token)) {
            if (linkTokens.size() >= KEEP_TOKENS) {
                linkTokens.removeFirst();
            }
            linkTokens.addLast(token);
        }
    }

    public Attr attr() {
        return attr;
    }

    public String target() {
        return target;
    }

    InodeSnapshot snapshot() {
        return new InodeSnapshot(attr, target, new TreeMap<>(xattrs),
                linkTokens.isEmpty() ? null : List.copyOf(linkTokens));
    }
}
