package io.tierfs.fuse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Mounts a {@link TierFuse} and takes it down again, checking both against the kernel's mount table (libfuse's
 * {@code fuse_setup}, run by {@link FuseLoop}, returns once mounted; jnr-fuse's own mount, not used any more,
 * returned after a fixed wait whether or not the mount existed, STACK.md pitfall 6).
 * <p>
 * Options: {@code default_permissions} (the kernel checks modes, so one user cannot read another's 0600 file),
 * {@code allow_other} (every user may use the mount), {@code big_writes} with 1 MiB max_write/max_read (4 KiB writes
 * otherwise; above 128 KiB only because {@link FuseLoop} runs the session and offers the kernel max_pages, which
 * libfuse 2 alone cannot; system property {@code tierfs.fuse.request-kib}, default 1024, 128 for libfuse's own),
 * {@code use_ino} (st_ino is ours), and fsname/subtype so that it shows as "tierfs" / "fuse.tierfs".
 * {@code splice_write} with max_read a little under the pipe limit: reads are spliced from the chunk files
 * ({@link SplicedReads}; {@code -Dtierfs.fuse.splice=false} copies instead).
 * <p>
 * {@code attr_timeout=0}: libfuse 2's high-level API gives every name of a hard-linked file its own kernel inode, so
 * a cached attribute of one name goes stale when another name changes nlink; the VFS answers getattr from its own
 * coherent cache, so asking it every time is cheap. {@code entry_timeout=60}: on a single node every name change
 * goes through this kernel, which updates its own dentries, so names can stay cached (a multi-node mount needs pushed
 * invalidations instead); with 1 s, a stat of a file created seconds ago paid an extra LOOKUP. The page cache is
 * kept across opens per file by {@link io.tierfs.vfs.KernelCacheGuard} (keep_cache set in open/create). Neither
 * {@code auto_cache} (it drops the cache after our own writes, since they move mtime) nor {@code kernel_cache}
 * (with per-name kernel inodes, a write through one name of a hard-linked file would leave stale pages under the
 * other name; the model test caught exactly that).
 * <p>
 * Not {@code hard_remove}: with it libfuse 2's high-level API answers fstat(2) of an unlinked open file with
 * ENOENT (the kernel sends GETATTR without a file handle for fstat, and libfuse then needs a path the node no
 * longer has; only ftruncate/read/write/flush/fsync/release get the handle). libfuse's default instead renames
 * such a file to .fuse_hidden* and reports nlink - 1, which keeps fstat, read and write working; the hidden name
 * is unlinked at the last release (the VFS then frees the data). The VFS itself supports nameless open inodes
 * (used when a caller passes {@code hard_remove} in the extra options, and by a future low-level adapter).
 */
public final class FuseMount implements AutoCloseable {
    public static final List<String> BASE_OPTIONS = List.of("default_permissions", "allow_other", "big_writes",
            "use_ino", "attr_timeout=0", "entry_timeout=" + (int) LibfuseConfig.ENTRY_TIMEOUT, "fsname=tierfs",
            "subtype=tierfs");
    /** Largest READ/WRITE request offered to the kernel, in KiB (128 to 1024; 128 is libfuse 2's own size). */
    public static final String REQUEST_KIB_PROPERTY = "tierfs.fuse.request-kib";
    private static final int DEFAULT_REQUEST_KIB = 1024;
    /** Kernel attribute cache time of directories in single-threaded mode (see {@link LibfuseConfig}). */
    static final double ATTR_TIMEOUT_SEC = 1.0;
    private static final Duration MOUNT_DEADLINE = Duration.ofSeconds(15);
    private static final Duration UMOUNT_DEADLINE = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(FuseMount.class);

    private final TierFuse fs;
    private final Path mountPoint;
    private final FuseLoop loop;
    private boolean mounted = true;

    private FuseMount(TierFuse fs, Path mountPoint, FuseLoop loop) {
        this.fs = fs;
        this.mountPoint = mountPoint;
        this.loop = loop;
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** Open handles in the VFS behind this mount (status, tests). */
    public int openHandles() {
        return fs.vfs().openHandles();
    }

    /**
     * Mounts {@code fs} on {@code mountPoint} and returns once the kernel shows the mount.
     *
     * @param extraOptions further {@code -o} options (e.g. "direct_io", "kernel_cache"); may be empty
     * @param singleThreaded libfuse's {@code -s}
     * @throws IllegalArgumentException when the mount point is missing, not a directory, not empty or already a
     *                                  mount point
     * @throws IllegalStateException    when the mount does not appear before the deadline
     */
    public static FuseMount mount(TierFuse fs, Path mountPoint, List<String> extraOptions, boolean singleThreaded) {
        Path mp = mountPoint.toAbsolutePath().normalize();
        checkMountPoint(mp);
        List<String> args = new ArrayList<>();
        if (singleThreaded) {
            args.add("-s");
            fs.cacheAttributes(ATTR_TIMEOUT_SEC);
        }
        int requestBytes = requestKib() * 1024;
        List<String> opts = new ArrayList<>(BASE_OPTIONS);
        opts.add("max_write=" + requestBytes);
        opts.add("max_read=" + (fs.splices() ? SplicedReads.largestRead(requestBytes) : requestBytes));
        if (fs.splices()) {
            opts.add("splice_write");
        }
        if (extraOptions.stream().anyMatch(o -> o.startsWith("fsname="))) {
            opts.removeIf(o -> o.startsWith("fsname="));
        }
        opts.addAll(extraOptions);
        args.add("-o");
        args.add(String.join(",", opts));
        log.info("mounting tierfs on {} with {}", mp, args);
        FuseMount m;
        try {
            m = new FuseMount(fs, mp, FuseLoop.start(fs, mp, args, requestBytes));
        } catch (RuntimeException e) {
            throw new IllegalStateException("mounting tierfs on " + mp + " failed: " + e.getMessage(), e);
        }
        if (!await(() -> isTierFs(MountTable.at(mp)), MOUNT_DEADLINE)) {
            m.close();
            throw new IllegalStateException("tierfs did not appear in /proc/self/mountinfo at " + mp + " within "
                    + MOUNT_DEADLINE.toSeconds() + " s (is /dev/fuse usable and fusermount installed?)");
        }
        awaitInit(mp);
        ReadAhead.set(mp, ReadAhead.DEFAULT_KIB);
        log.info("tierfs mounted on {}, READ/WRITE requests up to {} KiB", mp, m.requestBytes() / 1024);
        return m;
    }

    /**
     * Returns once the kernel has processed the INIT reply: a statfs waits for it (the kernel holds every request
     * until the connection is initialised). The INIT reply sets the mount's read-ahead window, so the window can only
     * be raised after it.
     */
    private static void awaitInit(Path mp) {
        Thread statfs = new Thread(() -> {
            try {
                Files.getFileStore(mp).getTotalSpace();
            } catch (IOException e) {
                log.warn("statfs of the new mount {} failed: {}", mp, e.toString());
            }
        }, "tierfs-await-init");
        statfs.setDaemon(true);
        statfs.start();
        try {
            statfs.join(MOUNT_DEADLINE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (statfs.isAlive()) {
            log.warn("the kernel has not finished the FUSE INIT of {} within {} s", mp, MOUNT_DEADLINE.toSeconds());
        }
    }

    /** The request size asked for with {@value #REQUEST_KIB_PROPERTY}; one clear error if it is not usable. */
    static int requestKib() {
        String v = System.getProperty(REQUEST_KIB_PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_REQUEST_KIB;
        }
        try {
            int kib = Integer.parseInt(v.trim());
            if (kib >= 128 && kib <= 1024 && kib % 4 == 0) {
                return kib;
            }
        } catch (NumberFormatException e) {
            // reported below, with the value
        }
        throw new IllegalArgumentException(REQUEST_KIB_PROPERTY + " must be a multiple of 4 from 128 to 1024 (KiB): "
                + v);
    }

    /** Largest READ/WRITE request the kernel was offered on this mount (128 KiB unless max_pages was negotiated). */
    public int requestBytes() {
        return loop.requestBytes();
    }

    /** Largest READ request seen on this mount so far, in bytes. */
    public long largestRead() {
        return fs.largestRead();
    }

    /** The most WRITE requests the file system was answering at one time on this mount so far. */
    public long mostWritesAtOnce() {
        return fs.mostWritesAtOnce();
    }

    /** Largest WRITE request seen on this mount so far, in bytes. */
    public long largestWrite() {
        return fs.largestWrite();
    }

    private static boolean isTierFs(MountTable.Entry e) {
        return e != null && e.isTierFs();
    }

    /** Refuses (IllegalArgumentException, one line) a mount point that is missing, not a directory, mounted or not empty. */
    public static void checkMountPoint(Path mp) {
        if (!Files.exists(mp)) {
            throw new IllegalArgumentException("mount point " + mp + " does not exist");
        }
        if (!Files.isDirectory(mp)) {
            throw new IllegalArgumentException("mount point " + mp + " is not a directory");
        }
        if (MountTable.isMountPoint(mp)) {
            throw new IllegalArgumentException("mount point " + mp + " is already a mount point");
        }
        try (Stream<Path> s = Files.list(mp)) {
            if (s.findAny().isPresent()) {
                throw new IllegalArgumentException("mount point " + mp + " is not empty");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list mount point " + mp, e);
        }
    }

    /** Unmounts (fusermount -u, then lazily with -z if busy) and waits until the kernel shows it gone. */
    @Override
    public synchronized void close() {
        if (!mounted) {
            return;
        }
        if (MountTable.isMountPoint(mountPoint)) {
            int rc = fusermount("-u");
            if (rc != 0 || !await(() -> !MountTable.isMountPoint(mountPoint), UMOUNT_DEADLINE)) {
                log.warn("fusermount -u {} failed (rc {}): unmounting lazily", mountPoint, rc);
                fusermount("-u", "-z");
            }
            if (!await(() -> !MountTable.isMountPoint(mountPoint), UMOUNT_DEADLINE)) {
                throw new IllegalStateException("tierfs at " + mountPoint + " is still mounted after fusermount -u -z");
            }
        }
        mounted = false;
        if (loop.awaitEnd(UMOUNT_DEADLINE)) {
            fs.loopEnded();
        } else {
            log.warn("the FUSE loop of {} did not end within {} s of the unmount", mountPoint,
                    UMOUNT_DEADLINE.toSeconds());
        }
        log.info("tierfs unmounted from {}", mountPoint);
    }

    private int fusermount(String... flags) {
        List<String> cmd = new ArrayList<>();
        cmd.add("fusermount");
        cmd.addAll(List.of(flags));
        cmd.add(mountPoint.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int rc = p.waitFor();
            if (rc != 0) {
                log.warn("{} exited {}: {}", cmd, rc, out);
            }
            return rc;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd, e);
        }
    }

    private static boolean await(java.util.function.BooleanSupplier condition, Duration deadline) {
        return io.tierfs.common.time.Await.within(deadline, condition);
    }
}
