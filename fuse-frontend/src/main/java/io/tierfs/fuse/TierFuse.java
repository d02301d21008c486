package io.tierfs.fuse;

import io.tierfs.common.Attr;
import io.tierfs.common.Caller;
import io.tierfs.common.DirEntry;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.SetAttr;
import io.tierfs.vfs.Vfs;
import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.gid_t;
import jnr.ffi.types.uid_t;
import jnr.ffi.types.dev_t;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseContext;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The jnr-fuse adapter: each libfuse high-level operation converts its C arguments, calls the {@link Vfs}, and
 * turns an {@link FsException} into {@code -errno}. Nothing else: all semantics live in the VFS.
 * <p>
 * Before mounting, it sets libfuse's {@code flag_nullpath_ok} (so that operations on an open file that lost its
 * last name arrive with a NULL path and are served from the handle, instead of libfuse renaming it to
 * .fuse_hidden*) and {@code flag_utime_omit_ok} (so that utimens sees UTIME_NOW / UTIME_OMIT).
 */
public class TierFuse extends FuseStubFS {
    private static final com.kenai.jffi.MemoryIO MEMORY = com.kenai.jffi.MemoryIO.getInstance();
    private static final Logger log = LoggerFactory.getLogger(TierFuse.class);
    /** Errnos that are answers, not faults: logged without stack trace, at debug. */
    private static final Set<Errno> EXPECTED = EnumSet.of(Errno.ENOENT, Errno.ESTALE, Errno.EEXIST, Errno.ENOTDIR, Errno.EISDIR,
            Errno.ENOTEMPTY, Errno.EINVAL, Errno.ENAMETOOLONG, Errno.EPERM, Errno.EACCES, Errno.ENODATA,
            Errno.ERANGE, Errno.EBADF, Errno.ENOSPC, Errno.EXDEV, Errno.ELOOP, Errno.EMLINK, Errno.ENOTSUP,
            Errno.EFBIG, Errno.E2BIG, Errno.EAGAIN, Errno.EINTR);
    static final long UTIME_NOW = (1L << 30) - 1;
    static final long UTIME_OMIT = (1L << 30) - 2;
    /**
     * libfuse 2.9's struct fuse_file_info on LP64: int flags (0), unsigned long fh_old (8), int writepage (16), then
     * the bitfield word (20: direct_io, keep_cache, flush, nonseekable, flock_release), fh (24). jnr-fuse declares
     * the bits as one-byte paddings from offset 16, which is not the C layout, so the word is written directly.
     */
    static final int FILE_INFO_BITS = 20;
    static final int DIRECT_IO = 1;
    static final int KEEP_CACHE = 1 << 1;

    /** System property: false makes reads copy every byte, as libfuse's plain read does (for comparison). */
    public static final String SPLICE_PROPERTY = "tierfs.fuse.splice";
    /**
     * System property: false keeps write-only handles, and read-write handles of files empty at open, in the
     * kernel's page cache (see {@link #opened}).
     */
    public static final String DIRECT_WRITES_PROPERTY = "tierfs.fuse.direct-writes";
    /**
     * System property: false keeps the kernel from sending direct writes of one file in parallel (each write then
     * holds the file's inode lock for its whole round trip, as libfuse 2 alone asks); see {@link ParallelDirectWrites}.
     */
    public static final String PARALLEL_DIRECT_WRITES_PROPERTY = "tierfs.fuse.parallel-direct-writes";

    private final Vfs vfs;
    private final SplicedReads reads;
    private final boolean directWrites;
    private final boolean parallelDirectWrites;
    private final CreatedAttrs createdAttrs = new CreatedAttrs(System::nanoTime);
    private final KernelHeldNames heldNames = KernelHeldNames.forMount();
    private final ConcurrentHashMap<String, LongAdder> calls = new ConcurrentHashMap<>();
    /** Errors answered to the kernel, by errno (FUSE metrics). */
    private final ConcurrentHashMap<Errno, LongAdder> errors = new ConcurrentHashMap<>();
    /** Attribute timeout for cacheable inodes (0: libfuse's global one for all); see {@link LibfuseConfig}. */
    private volatile double attrTimeoutSec;
    private boolean configLocated;
    private LibfuseConfig libfuseConfig;
    /** The largest READ and WRITE requests the kernel sent (what the negotiated request size really is). */
    private final LongAccumulator largestRead = new LongAccumulator(Math::max, 0);
    private final LongAccumulator largestWrite = new LongAccumulator(Math::max, 0);
    /** WRITE requests being answered now, and the most at once so far (whether the kernel sends them in parallel). */
    private final AtomicInteger writesInFlight = new AtomicInteger();
    private final LongAccumulator mostWritesAtOnce = new LongAccumulator(Math::max, 0);

    public TierFuse(Vfs vfs) {
        this.vfs = vfs;
        this.reads = new SplicedReads(Libfuse2.loadLibC(), booleanProperty(SPLICE_PROPERTY));
        this.directWrites = booleanProperty(DIRECT_WRITES_PROPERTY);
        this.parallelDirectWrites = booleanProperty(PARALLEL_DIRECT_WRITES_PROPERTY);
        setLibfuseFlags();
    }

    /** A switch: true (the default) unless set to "false"; any other value is refused. */
    private static boolean booleanProperty(String name) {
        String v = System.getProperty(name, "true").trim();
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(name + " must be true or false: " + v);
        }
        return v.equals("true");
    }

    /** True when reads hand chunk files to libfuse to splice (the mount then needs {@code -o splice_write}). */
    boolean splices() {
        return reads.splices();
    }

    /** Bytes of reads handed to libfuse as chunk-file descriptors (spliced, not copied by us). */
    public long splicedReadBytes() {
        return reads.fileBytes();
    }

    /** Chunk-file descriptors held now for replies libfuse may still be splicing (tests). */
    int heldReadDescriptors() {
        return reads.heldDescriptors();
    }

    /** libfuse threads that have called this adapter (tests). */
    int readThreads() {
        return reads.threads();
    }

    /** Closes the chunk files held for replies already sent; only once the FUSE loop has ended. */
    void loopEnded() {
        reads.closeAll();
    }

    /**
     * Lets the kernel cache the attributes the VFS calls cacheable (directories) for {@code seconds}; the others
     * stay at 0. Only for a single-threaded libfuse loop: the timeout is set per reply in libfuse's shared config.
     */
    void cacheAttributes(double seconds) {
        this.attrTimeoutSec = seconds;
    }

    /**
     * The timeout of the attribute reply being built: cached (directories), a jiffy for the reply of a create
     * ({@link CreatedAttrs}), or asked every time (the rest).
     */
    private void replyTimeoutFor(Attr a, boolean createReply) {
        double sec = attrTimeoutSec;
        if (sec <= 0) {
            return;
        }
        if (!configLocated) {
            configLocated = true;
            libfuseConfig = LibfuseConfig.locate(getContext().fuse.get()).orElse(null);
            if (libfuseConfig == null) {
                log.info("libfuse's config has not the expected layout: attributes are not cached by the kernel");
            } else {
                log.info("directory attributes cached by the kernel for {} s, others for 0 s", sec);
            }
        }
        if (libfuseConfig != null) {
            // one name only: an O_CREAT open of an existing hard-linked file must not cache what another name changes
            boolean jiffy = createReply && a.nlink() == 1 && vfs.attrsCacheableAtCreate();
            libfuseConfig.attrTimeout(vfs.attrsCacheable(a) ? sec : jiffy ? CreatedAttrs.TIMEOUT_SEC : 0.0);
            if (jiffy) {
                createdAttrs.replied(a.ino());
            }
        }
    }

    /** Bit 0 flag_nullpath_ok, bit 2 flag_utime_omit_ok of the bitfield word after {@code bmap} (libfuse 2.9). */
    private void setLibfuseFlags() {
        Pointer mem = Struct.getMemory(fuseOperations);
        long off = flagWordOffset();
        mem.putInt(off, mem.getInt(off) | 0b101);
    }

    /**
     * Where the bitfield word lies: jnr-fuse's Padding member knows, but its offset() is not public, so it is read
     * reflectively and checked against the C layout (38 function pointers precede the word in libfuse 2.9).
     */
    private long flagWordOffset() {
        long expected = 38L * jnr.ffi.Runtime.getSystemRuntime().addressSize();
        try {
            java.lang.reflect.Method m = Struct.class.getDeclaredClasses()[0].getClassLoader()
                    .loadClass("jnr.ffi.Struct$AbstractMember").getDeclaredMethod("offset");
            m.setAccessible(true);
            long off = (Long) m.invoke(fuseOperations.flag_nullpath_ok);
            if (off != expected) {
                throw new IllegalStateException("flag_nullpath_ok at offset " + off + ", libfuse 2.9 expects "
                        + expected + ": jnr-fuse's FuseOperations layout changed");
            }
            return off;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot locate flag_nullpath_ok in jnr-fuse's FuseOperations", e);
        }
    }

    /** The flag word as it will be passed to libfuse (for tests). */
    int libfuseFlagWord() {
        return Struct.getMemory(fuseOperations).getInt(flagWordOffset());
    }

    /** jnr-fuse's operations table, for {@link FuseLoop}'s fuse_setup. */
    ru.serce.jnrfuse.struct.FuseOperations operations() {
        return fuseOperations;
    }

    /** Largest READ request seen, in bytes (0 before the first). */
    public long largestRead() {
        return largestRead.get();
    }

    /** Largest WRITE request seen, in bytes (0 before the first). */
    public long largestWrite() {
        return largestWrite.get();
    }

    /** The most WRITE requests this adapter was answering at one time. */
    public long mostWritesAtOnce() {
        return mostWritesAtOnce.get();
    }

    public Vfs vfs() {
        return vfs;
    }

    /** The process that made the current request (as the kernel sees it on this machine). */
    long callerPid() {
        return getContext().pid.longValue();
    }

    private Caller caller() {
        FuseContext c = getContext();
        return new Caller(c.uid.intValue(), c.gid.intValue());
    }

    /** How many times each operation reached this adapter (tests, and the FUSE metrics to come). */
    public long calls(String op) {
        LongAdder n = calls.get(op);
        return n == null ? 0 : n.sum();
    }

    /** Every operation that reached this adapter so far, with its count (FUSE metrics). */
    public java.util.Map<String, Long> callCounts() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        calls.forEach((op, n) -> out.put(op, n.sum()));
        return out;
    }

    /** Errors answered so far by errno (exceptions turned into -errno; EIO for unexpected failures). */
    public java.util.Map<Errno, Long> errorCounts() {
        java.util.Map<Errno, Long> out = new java.util.EnumMap<>(Errno.class);
        errors.forEach((e, n) -> out.put(e, n.sum()));
        return out;
    }

    int run(String op, String path, IntSupplier body) {
        StaleNodeReplies.reached(); // this thread's next reply is this operation's answer
        calls.computeIfAbsent(op, k -> new LongAdder()).increment();
        reads.releaseHeld();
        try {
            return body.getAsInt();
        } catch (FsException e) {
            errors.computeIfAbsent(e.errno(), k -> new LongAdder()).increment();
            if (EXPECTED.contains(e.errno())) {
                if (log.isDebugEnabled()) {
                    log.debug("{} {}: {}", op, path, e.getMessage());
                }
            } else {
                log.warn("{} {} failed: {}", op, path, e.getMessage(), e.getCause());
            }
            return -e.errno().code();
        } catch (RuntimeException | Error e) {
            errors.computeIfAbsent(Errno.EIO, k -> new LongAdder()).increment();
            log.error("{} {} failed unexpectedly, answering EIO", op, path, e);
            return -Errno.EIO.code();
        }
    }

    int run(String op, String path, Runnable body) {
        return run(op, path, () -> {
            body.run();
            return 0;
        });
    }

    /**
     * Also libfuse's LOOKUP. On a cluster member, a name this mount answered before and that is gone now (removed
     * through another member) is answered ESTALE once, so that the kernel looks it up again instead of failing an
     * open(O_CREAT) with ENOENT ({@link KernelHeldNames}).
     */
    @Override
    public int getattr(String path, FileStat stat) {
        return run("getattr", path, () -> {
            Attr a;
            try {
                a = vfs.getattr(path);
            } catch (FsException e) {
                if (e.errno() == Errno.ENOENT && vfs.namesChangeElsewhere() && heldNames.goneSinceAnswered(path)) {
                    throw lookUpAgain(path, e);
                }
                throw e;
            }
            if (vfs.namesChangeElsewhere()) {
                heldNames.answered(path);
            }
            replyTimeoutFor(a, false);
            StatFiller.fill(stat, a);
        });
    }

    @Override
    public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
        long fh = fi.fh.get();
        return run("fgetattr", path, () -> {
            Attr a;
            try {
                a = vfs.fgetattr(path, fh);
            } catch (FsException e) {
                if (e.errno() != Errno.EBADF || path == null) {
                    throw e;
                }
                a = vfs.getattr(path);
            }
            if (vfs.namesChangeElsewhere()) {
                heldNames.answered(path); // a create's reply: the kernel holds the new name
            }
            replyTimeoutFor(a, createdAttrs.isCreateReply(fh));
            StatFiller.fill(stat, a);
        });
    }

    @Override
    public int readlink(String path, Pointer buf, @size_t long size) {
        return run("readlink", path, () -> {
            byte[] target = vfs.readlink(path).getBytes(StandardCharsets.UTF_8);
            if (size <= 0) {
                return;
            }
            int n = (int) Math.min(target.length, size - 1);
            buf.put(0, target, 0, n);
            buf.putByte(n, (byte) 0);
        });
    }

    @Override
    public int mknod(String path, @mode_t long mode, @dev_t long rdev) {
        return run("mknod", path, () -> vfs.mknod(path, (int) mode, rdev, caller()));
    }

    @Override
    public int mkdir(String path, @mode_t long mode) {
        return run("mkdir", path, () -> vfs.mkdir(path, (int) mode, caller()));
    }

    @Override
    public int unlink(String path) {
        return run("unlink", path, () -> vfs.unlink(path));
    }

    @Override
    public int rmdir(String path) {
        return run("rmdir", path, () -> vfs.rmdir(path));
    }

    @Override
    public int symlink(String oldpath, String newpath) {
        return run("symlink", newpath, () -> vfs.symlink(oldpath, newpath, caller()));
    }

    @Override
    public int rename(String oldpath, String newpath) {
        return run("rename", oldpath + " -> " + newpath, () -> vfs.rename(oldpath, newpath));
    }

    @Override
    public int link(String oldpath, String newpath) {
        return run("link", oldpath + " -> " + newpath, () -> {
            if (attrTimeoutSec > 0) {
                awaitCachedAttrsExpired(vfs.getattr(oldpath).ino());
            }
            vfs.link(oldpath, newpath);
        });
    }

    /** A file created a moment ago may still have its attributes cached under its first name: wait them out. */
    private void awaitCachedAttrsExpired(long ino) {
        long wait;
        while ((wait = createdAttrs.waitBeforeLink(ino)) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
    }

    @Override
    public int chmod(String path, @mode_t long mode) {
        return run("chmod", path, () -> vfs.chmod(path, (int) mode, caller()));
    }

    @Override
    public int chown(String path, @uid_t long uid, @gid_t long gid) {
        return run("chown", path, () -> vfs.chown(path, (int) uid, (int) gid, caller()));
    }

    @Override
    public int truncate(String path, @off_t long size) {
        return run("truncate", path, () -> vfs.truncate(path, size, caller()));
    }

    @Override
    public int ftruncate(String path, @off_t long size, FuseFileInfo fi) {
        long fh = fi.fh.get();
        return run("ftruncate", path, () -> vfs.ftruncate(path, fh, size, caller()));
    }

    @Override
    public int fallocate(String path, int mode, @off_t long off, @off_t long length, FuseFileInfo fi) {
        long fh = fi.fh.get();
        return run("fallocate", path, () -> vfs.fallocate(path, fh, mode, off, length, caller()));
    }

    /**
     * The kernel sends OPEN only for a name it holds: one another member removed since (the kernel keeps names for
     * the entry timeout) answers ESTALE, on which Linux looks the path up again (LOOKUP_REVAL) and retries once; so
     * {@code open(O_CREAT)} of a name removed elsewhere creates the file instead of failing with ENOENT, and an open
     * without O_CREAT fails with ENOENT from that lookup, as it should.
     */
    @Override
    public int open(String path, FuseFileInfo fi) {
        int flags = fi.flags.get();
        return run("open", path, () -> {
            long fh;
            try {
                fh = vfs.open(path, flags, caller());
            } catch (FsException e) {
                if (e.errno() == Errno.ENOENT) {
                    throw lookUpAgain(path, e);
                }
                throw e;
            }
            opened(fi, fh);
        });
    }

    /** ESTALE for a name the kernel holds that is gone: Linux then looks the path up again and retries once. */
    private static FsException lookUpAgain(String path, FsException gone) {
        return new FsException(Errno.ESTALE, path + " is gone (removed through another member?): "
                + gone.getMessage() + "; the kernel looks it up again", gone);
    }

    @Override
    public int create(String path, @mode_t long mode, FuseFileInfo fi) {
        int flags = fi.flags.get();
        return run("create", path, () -> {
            long fh = vfs.create(path, (int) mode, flags, caller());
            if (attrTimeoutSec > 0) {
                createdAttrs.creating(fh);
            }
            opened(fi, fh);
        });
    }

    /**
     * Hands the handle to libfuse and tells the kernel whether it may keep the file's cached pages, and whether the
     * handle bypasses the page cache: O_APPEND handles must ({@link Vfs#bypassesPageCache}); write-only handles, and
     * read-write handles of a file that was empty at open ({@link Vfs#writesIntoEmptyFile}: how IOR, fio's layout
     * and HDF5 create their files, O_CREAT|O_RDWR), do unless {@value #DIRECT_WRITES_PROPERTY} is false.
     * <p>
     * Why: through the page cache, each byte written is copied twice into newly allocated memory, first into the
     * mount's page cache by the writer's kernel, then into the DRAM tier by us, and the page cache copy duplicates
     * what the DRAM tier holds anyway (memory a compute node may have to lend). With direct
     * I/O the kernel hands the writer's own buffer to the WRITE request: one copy into new memory instead of two
     * (1 GiB dd on this VM: 511-581 MB/s before, 899-1,030 after). A write-only descriptor can neither read nor be
     * mapped, so it loses no cache hit of its own; a later reader reads through the file system once, then from the
     * page cache again. A read-write handle of a file that was empty at open has no earlier pages to reuse either;
     * what it reads back of its own writes goes through the file system (the DRAM tier), and its shared mappings
     * stay coherent ({@link InitReplyPatch} offers {@code FUSE_DIRECT_IO_ALLOW_MMAP}). IOR's write phase (O_RDWR,
     * 1 MiB, this VM): 318-612 MiB/s through the page cache, 1,258-1,397 direct. Handles of the same file that do
     * cache stay coherent: the kernel drops their cached pages of the range before it sends a direct write
     * (checked on this kernel, 6.18, by {@code TierFuseMountTest} with a reader and a shared mapping held open
     * across the writes), and an open that finds the file changed drops them in any case
     * ({@link io.tierfs.vfs.KernelCacheGuard}). Direct handles other than O_APPEND ones also let the kernel send
     * writes of the file in parallel ({@link ParallelDirectWrites}) unless {@value #PARALLEL_DIRECT_WRITES_PROPERTY}
     * is false.
     */
    private void opened(FuseFileInfo fi, long fh) {
        fi.fh.set(fh);
        boolean append = vfs.bypassesPageCache(fh);
        boolean direct = append || (directWrites && (vfs.writeOnly(fh) || vfs.writesIntoEmptyFile(fh)));
        int bits = (vfs.keepsPageCache(fh) ? KEEP_CACHE : 0) | (direct ? DIRECT_IO : 0);
        if (direct && parallelDirectWrites && !append) {
            ParallelDirectWrites.expect(fh); // appends stay exclusive: the kernel would take the lock anyway
        }
        if (bits != 0) {
            Pointer mem = Struct.getMemory(fi);
            mem.putInt(FILE_INFO_BITS, mem.getInt(FILE_INFO_BITS) | bits);
        }
    }

    /**
     * Every read: answered with chunk files' descriptors that libfuse splices to the kernel, the rest in malloc'd
     * buffers ({@link SplicedReads}). There is no plain {@code read}: libfuse would only call it without this.
     */
    @Override
    public int read_buf(String path, Pointer bufp, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        long fh = fi.fh.get();
        largestRead.accumulate(size);
        return run("read", path, () -> reads.read(bufp, sink -> vfs.read(path, fh, offset, (int) size, sink)));
    }

    @Override
    public int write(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        long fh = fi.fh.get();
        largestWrite.accumulate(size);
        mostWritesAtOnce.accumulate(writesInFlight.incrementAndGet());
        try {
            return run("write", path, () -> vfs.write(path, fh, offset, nativeBuffer(buf, size), caller()));
        } finally {
            writesInFlight.decrementAndGet();
        }
    }

    /**
     * libfuse's own buffer as a direct ByteBuffer: the chunk files are read into and written from it without a copy
     * through the heap. Valid only during the callback; nothing below keeps a reference to it.
     */
    private static ByteBuffer nativeBuffer(Pointer buf, long size) {
        return MEMORY.newDirectByteBuffer(buf.address(), (int) size);
    }

    @Override
    public int fsyncdir(String path, FuseFileInfo fi) {
        return run("fsyncdir", path, () -> vfs.fsyncdir(path));
    }

    @Override
    public int statfs(String path, Statvfs stbuf) {
        return run("statfs", path, () -> StatFiller.fill(stbuf, vfs.statfs()));
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        long fh = fi.fh.get();
        return run("flush", path, () -> vfs.flush(path, fh));
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        long fh = fi.fh.get();
        return run("release", path, () -> vfs.release(path, fh));
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        long fh = fi.fh.get();
        return run("fsync", path, () -> vfs.fsync(path, fh, isdatasync != 0));
    }

    @Override
    public int setxattr(String path, String name, Pointer value, @size_t long size, int flags) {
        return run("setxattr", path, () -> {
            byte[] v = new byte[(int) size];
            if (size > 0) {
                value.get(0, v, 0, (int) size);
            }
            vfs.setxattr(path, name, v, flags);
        });
    }

    @Override
    public int getxattr(String path, String name, Pointer value, @size_t long size) {
        return run("getxattr", path, () -> copyOut(vfs.getxattr(path, name), value, size));
    }

    @Override
    public int listxattr(String path, Pointer list, @size_t long size) {
        return run("listxattr", path, () -> copyOut(packNames(vfs.listxattr(path)), list, size));
    }

    /** The size-0 probe answers the length; a too-small buffer is ERANGE; else the bytes and their length. */
    static int copyOut(byte[] v, Pointer dst, long size) {
        if (size == 0) {
            return v.length;
        }
        if (size < v.length) {
            throw FsException.of(Errno.ERANGE, "buffer of %d bytes for %d", size, v.length);
        }
        if (v.length > 0) {
            dst.put(0, v, 0, v.length);
        }
        return v.length;
    }

    /** listxattr's format: each name NUL-terminated, back to back. */
    static byte[] packNames(List<String> names) {
        int len = 0;
        byte[][] enc = new byte[names.size()][];
        for (int i = 0; i < enc.length; i++) {
            enc[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
            len += enc[i].length + 1;
        }
        byte[] out = new byte[len];
        int p = 0;
        for (byte[] e : enc) {
            System.arraycopy(e, 0, out, p, e.length);
            p += e.length + 1;
        }
        return out;
    }

    @Override
    public int removexattr(String path, String name) {
        return run("removexattr", path, () -> vfs.removexattr(path, name));
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filter, @off_t long offset, FuseFileInfo fi) {
        return run("readdir", path, () -> {
            for (DirEntry e : vfs.readdir(path)) {
                if (filter.apply(buf, e.name(), null, 0) != 0) {
                    break;
                }
            }
        });
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        return run("utimens", path, () -> vfs.utimens(path, time(timespec[0]), time(timespec[1]), caller()));
    }

    private static Long time(Timespec ts) {
        long nsec = ts.tv_nsec.longValue();
        if (nsec == UTIME_OMIT) {
            return null;
        }
        if (nsec == UTIME_NOW) {
            return SetAttr.NOW;
        }
        return ts.tv_sec.get() * 1_000_000_000L + nsec;
    }
}
