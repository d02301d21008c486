package io.tierfs.vfs;

import io.tierfs.common.Attr;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The handle table: fh -> {@link OpenFile}, and inode -> {@link OpenInode} shared by its handles. Opening,
 * releasing and marking an inode unlinked are atomic per inode (map compute), so that "free the data at the last
 * release of an unlinked inode" happens exactly once whichever of unlink and release comes last.
 */
final class OpenFiles {
    private final AtomicLong nextFh = new AtomicLong(1);
    private final ConcurrentHashMap<Long, OpenFile> handles = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, OpenInode> inodes = new ConcurrentHashMap<>();

    OpenFile open(InodeRef ref, long recordedSize, int flags) {
        OpenInode state = inodes.compute(ref.ino(), (ino, s) -> {
            OpenInode st = s != null ? s : new OpenInode(ref, recordedSize);
            st.sawRecordedSize(recordedSize); // open after another member's close: its end counts (close-to-open)
            st.addHandle();
            return st;
        });
        OpenFile f = new OpenFile(nextFh.getAndIncrement(), flags, state);
        handles.put(f.fh(), f);
        return f;
    }

    OpenFile get(long fh) {
        OpenFile f = handles.get(fh);
        if (f == null) {
            throw FsException.of(Errno.EBADF, "no open file with handle %d", fh);
        }
        return f;
    }

    /** The open state of an inode, or null when no handle holds it. */
    OpenInode inode(long ino) {
        return inodes.get(ino);
    }

    /**
     * Drops a handle. Returns the inode state if that was its last handle (the caller then frees an unlinked
     * inode's data), else null.
     */
    OpenInode release(long fh) {
        OpenFile f = handles.remove(fh);
        if (f == null) {
            throw FsException.of(Errno.EBADF, "no open file with handle %d", fh);
        }
        OpenInode[] last = new OpenInode[1];
        inodes.computeIfPresent(f.inode().ref().ino(), (ino, s) -> {
            if (s.dropHandle() == 0) {
                last[0] = s;
                return null;
            }
            return s;
        });
        return last[0];
    }

    /** Marks an inode as nameless. Returns false when no handle holds it (the caller frees its data at once). */
    boolean markUnlinked(long ino, Attr lastAttr) {
        boolean[] open = new boolean[1];
        inodes.computeIfPresent(ino, (k, s) -> {
            s.markUnlinked(lastAttr);
            open[0] = true;
            return s;
        });
        return open[0];
    }

    java.util.Collection<OpenInode> inodes() {
        return java.util.List.copyOf(inodes.values());
    }

    int openHandles() {
        return handles.size();
    }
}
