package io.tierfs.meta.state;

import io.tierfs.common.Attr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The state of one directory entity: its own inode, parent, entries (sorted by name, so that paged readdir is
 * stable), the inodes homed in it, pending rename intents, the outcomes of recently closed ones
 * ({@link ClosedIntents}) and the clients' last answers ({@link AnswerTable}).
 * Mutable for speed (a directory may hold a million names); only {@link #apply} changes it, and
 * {@link #snapshot()} makes an immutable copy for persistence. Not thread-safe: other threads read it only through a
 * {@link DirReadView}.
 */
public final class DirState {
    final long ino;
    boolean initialized;
    long parent;
    InodeRec self;
    int subdirs;
    boolean removing;
    boolean removed;
    final TreeMap<String, Dentry> entries = new TreeMap<>();
    final HashMap<Long, InodeRec> homed = new HashMap<>();
    final LinkedHashMap<Long, RenameIntent> intents = new LinkedHashMap<>();
    final AnswerTable answers = new AnswerTable();
    final ClosedIntents closed = new ClosedIntents();

    public DirState(long ino) {
        this.ino = ino;
    }

    public long ino() {
        return ino;
    }

    public boolean initialized() {
        return initialized;
    }

    public long parent() {
        return parent;
    }

    public boolean removing() {
        return removing;
    }

    public boolean removed() {
        return removed;
    }

    public NavigableMap<String, Dentry> entries() {
        return Collections.unmodifiableNavigableMap(entries);
    }

    public List<RenameIntent> pendingIntents() {
        return List.copyOf(intents.values());
    }

    /** The outcomes of rename intents closed recently (for a coordinator that handed its rename over). */
    public ClosedIntents closedIntents() {
        return closed;
    }

    /** Per client, the last answered mutating command (for exactly-once retries). */
    public AnswerTable answers() {
        return answers;
    }

    /** The directory's attributes as stat reports them: nlink = 2 + subdirectories (0 once removed). */
    public Attr dirAttr() {
        return self.attr.withNlink(removed ? 0 : 2 + subdirs);
    }

    /** The homed inode or the directory itself; null when absent. */
    InodeRec inode(long which) {
        if (which == ino) {
            return initialized ? self : null;
        }
        return homed.get(which);
    }

    /** Number of inodes this entity holds: itself (while named) plus homed inodes. */
    public long inodeCount() {
        return (initialized && !removed ? 1 : 0) + homed.size();
    }

    /** Applies one persisted event. Deterministic: the same events give the same state. */
    public void apply(DirEvent event) {
        if (event instanceof DirEvent.Batch b) {
            for (DirEvent e : b.events()) {
                apply(e);
            }
        } else if (event instanceof DirEvent.Initialized e) {
            initialized = true;
            parent = e.parent();
            self = new InodeRec(e.attr(), null, Map.of());
        } else if (event instanceof DirEvent.DentrySet e) {
            Dentry old = entries.put(e.name(), e.dentry());
            if (old != null && old.isDir()) {
                subdirs--;
            }
            if (e.dentry().isDir()) {
                subdirs++;
            }
            touchDir(e.nowNs());
        } else if (event instanceof DirEvent.DentryRemoved e) {
            Dentry old = entries.remove(e.name());
            if (old != null && old.isDir()) {
                subdirs--;
            }
            touchDir(e.nowNs());
        } else if (event instanceof DirEvent.InodeAdded e) {
            homed.put(e.attr().ino(), new InodeRec(e.attr(), e.target(), Map.of()));
        } else if (event instanceof DirEvent.LinkAdjusted e) {
            InodeRec rec = homed.get(e.ino());
            if (rec != null) {
                rec.noteToken(e.token());
                Attr a = rec.attr;
                int n = a.nlink() + e.delta();
                if (n <= 0) {
                    homed.remove(e.ino());
                } else {
                    rec.attr = a.withNlink(n).withTimes(a.atimeNs(), a.mtimeNs(), e.nowNs());
                }
            }
        } else if (event instanceof DirEvent.AttrSet e) {
            InodeRec rec = inode(e.attr().ino());
            if (rec != null) {
                rec.attr = e.attr();
            }
        } else if (event instanceof DirEvent.XattrSet e) {
            InodeRec rec = inode(e.ino());
            if (rec != null) {
                rec.xattrs.put(e.name(), e.value());
            }
        } else if (event instanceof DirEvent.XattrRemoved e) {
            InodeRec rec = inode(e.ino());
            if (rec != null) {
                rec.xattrs.remove(e.name());
            }
        } else if (event instanceof DirEvent.RemovingSet e) {
            removing = e.removing();
        } else if (event instanceof DirEvent.Removed e) {
            removing = true;
            removed = true;
            Attr a = self.attr;
            self.attr = a.withTimes(a.atimeNs(), a.mtimeNs(), e.nowNs());
        } else if (event instanceof DirEvent.ParentSet e) {
            parent = e.parent();
            Attr a = self.attr;
            self.attr = a.withTimes(a.atimeNs(), a.mtimeNs(), e.nowNs());
        } else if (event instanceof DirEvent.IntentAdded e) {
            intents.put(e.intent().txid(), e.intent());
        } else if (event instanceof DirEvent.IntentClosed e) {
            RenameIntent intent = intents.remove(e.txid());
            if (intent != null) {
                closed.apply(e);
            }
            if (intent != null && e.removeName()) {
                Dentry d = entries.get(intent.srcName());
                if (d != null && d.ino() == intent.child()) {
                    apply(new DirEvent.DentryRemoved(intent.srcName(), e.nowNs()));
                }
            }
        } else if (event instanceof DirEvent.Answered e) {
            answers.apply(e);
        } else {
            throw new IllegalArgumentException("unknown event " + event);
        }
    }

    private void touchDir(long nowNs) {
        Attr a = self.attr;
        self.attr = a.withTimes(a.atimeNs(), nowNs, nowNs);
    }

    /** An immutable copy for a snapshot store (taken in the owner's thread, so no concurrent mutation). */
    public DirSnapshot snapshot() {
        Map<Long, InodeSnapshot> h = new HashMap<>(homed.size() * 2);
        homed.forEach((k, v) -> h.put(k, v.snapshot()));
        return new DirSnapshot(ino, initialized, parent, self == null ? null : self.snapshot(), subdirs, removing,
                removed, new TreeMap<>(entries), h, new ArrayList<>(intents.values()), answers.snapshot(),
                closed.snapshot());
    }

    public static DirState fromSnapshot(DirSnapshot s) {
        DirState st = new DirState(s.ino());
        st.initialized = s.initialized();
        st.parent = s.parent();
        if (s.self() != null) {
            st.self = new InodeRec(s.self().attr(), s.self().target(), nz(s.self().xattrs()));
        }
        st.subdirs = s.subdirs();
        st.removing = s.removing();
        st.removed = s.removed();
        if (s.entries() != null) {
            st.entries.putAll(s.entries());
        }
        if (s.homed() != null) {
            s.homed().forEach((k, v) -> st.homed.put(k, InodeRec.restore(v)));
        }
        if (s.intents() != null) {
            s.intents().forEach(i -> st.intents.put(i.txid(), i));
        }
        if (s.answers() != null) {   // null in snapshots written before request ids existed
            st.answers.restore(s.answers());
        }
        if (s.closed() != null) {    // null in snapshots written before closed intents were remembered
            st.closed.restore(s.closed());
        }
        return st;
    }

    private static Map<String, byte[]> nz(Map<String, byte[]> m) {
        return m == null ? Map.of() : m;
    }
}
