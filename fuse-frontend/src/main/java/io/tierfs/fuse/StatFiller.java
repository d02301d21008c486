package io.tierfs.fuse;

import io.tierfs.common.Attr;
import io.tierfs.common.FileType;
import io.tierfs.vfs.StatFs;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/** Copies VFS records into libfuse's C structs, every field (an unset time shows as 1970: STACK.md pitfall 6). */
final class StatFiller {
    static final int BLKSIZE = 4096;

    private StatFiller() {
    }

    static void fill(FileStat st, Attr a) {
        st.st_mode.set(a.stMode());
        st.st_ino.set(a.ino());
        st.st_nlink.set(a.nlink());
        st.st_uid.set(a.uid());
        st.st_gid.set(a.gid());
        long size = a.type() == FileType.DIRECTORY ? Math.max(a.size(), BLKSIZE) : a.size();
        st.st_size.set(size);
        st.st_blksize.set(BLKSIZE);
        st.st_rdev.set(a.rdev());
        st.st_blocks.set(a.type() == FileType.REGULAR ? (a.size() + 511) / 512 : 0);
        time(st.st_atim, a.atimeNs());
        time(st.st_mtim, a.mtimeNs());
        time(st.st_ctim, a.ctimeNs());
    }

    static void time(Timespec ts, long ns) {
        ts.tv_sec.set(Math.floorDiv(ns, 1_000_000_000L));
        ts.tv_nsec.set(Math.floorMod(ns, 1_000_000_000L));
    }

    static void fill(Statvfs sv, StatFs s) {
        sv.f_bsize.set(s.blockSize());
        sv.f_frsize.set(s.blockSize());
        sv.f_blocks.set(s.blocks());
        sv.f_bfree.set(s.blocksFree());
        sv.f_bavail.set(s.blocksAvailable());
        sv.f_files.set(s.files());
        sv.f_ffree.set(s.filesFree());
        sv.f_favail.set(s.filesFree());
        sv.f_namemax.set(s.nameMax());
    }
}
