package io.tierfs.meta.cache;

import io.tierfs.meta.state.DirEvent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Pure: which cached things a directory's decided events make stale (see {@link Invalidation}). */
public final class Invalidations {
    private Invalidations() {
    }

    /** The items for {@code events} of directory {@code dir}; empty when nothing a client caches changed. */
    public static List<Invalidation.Item> of(long dir, List<DirEvent> events) {
        Set<Invalidation.Item> out = new LinkedHashSet<>();
        for (DirEvent e : events) {
            add(dir, e, out);
        }
        return new ArrayList<>(out);
    }

    private static void add(long dir, DirEvent e, Set<Invalidation.Item> out) {
        if (e instanceof DirEvent.Batch b) {
            b.events().forEach(x -> add(dir, x, out));
        } else if (e instanceof DirEvent.DentrySet d) {
            out.add(new Invalidation.Entry(d.name()));
            out.add(new Invalidation.Attr(dir));
        } else if (e instanceof DirEvent.DentryRemoved d) {
            out.add(new Invalidation.Entry(d.name()));
            out.add(new Invalidation.Attr(dir));
        } else if (e instanceof DirEvent.LinkAdjusted l) {
            out.add(new Invalidation.Attr(l.ino()));
        } else if (e instanceof DirEvent.AttrSet a) {
            out.add(new Invalidation.Attr(a.attr().ino()));
        } else if (e instanceof DirEvent.XattrSet x) {
            out.add(new Invalidation.Xattr(x.ino(), x.name()));
            out.add(new Invalidation.Attr(x.ino()));
        } else if (e instanceof DirEvent.XattrRemoved x) {
            out.add(new Invalidation.Xattr(x.ino(), x.name()));
            out.add(new Invalidation.Attr(x.ino()));
        } else if (e instanceof DirEvent.Removed || e instanceof DirEvent.IntentClosed c && c.removeName()) {
            // removed directory, or the moved name of a closed rename intent: drop every name of the directory
            out.add(new Invalidation.Directory());
            out.add(new Invalidation.Attr(dir));
        } else if (e instanceof DirEvent.ParentSet) {
            out.add(new Invalidation.Attr(dir));
        }
        // Initialized, InodeAdded (a new inode: nobody caches it), RemovingSet, IntentAdded: nothing a client caches
    }
}
