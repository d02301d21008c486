package io.tierfs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.tierfs.common.Errno;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.util.DefaultPOSIXHandler;

/**
 * Raw system calls (jnr-posix) plus assertions on their exact return value or errno. Java's NIO maps errors to
 * exception types and loses the errno, so the POSIX suites go one level lower. Linux x86_64 flag values.
 */
final class Sys {

    /** A native POSIX whose calls return -1 and leave errno alone instead of throwing (the default handler throws). */
    static final POSIX P = POSIXFactory.getNativePOSIX(new QuietHandler());

    /** Reports nothing: the suites read errno themselves and assert on it. */
    private static final class QuietHandler extends DefaultPOSIXHandler {
        @Override
        public void error(jnr.constants.platform.Errno error, String extraData) {
            // errno stays set; the caller checks it
        }

        @Override
        public void error(jnr.constants.platform.Errno error, String methodName, String extraData) {
            // errno stays set; the caller checks it
        }
    }

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_TRUNC = 01000;
    static final int O_APPEND = 02000;
    static final int O_DIRECTORY = 0200000;
    static final int SEEK_SET = 0;
    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final long UTIME_NOW = (1L << 30) - 1;
    static final long UTIME_OMIT = (1L << 30) - 2;

    private Sys() {
    }

    static String errnoName(int code) {
        for (Errno e : Errno.values()) {
            if (e.code() == code) {
                return e.name();
            }
        }
        return "errno " + code;
    }

    /** Fails with the errno's name unless rc >= 0; returns rc. */
    static int ok(int rc, String what) {
        if (rc < 0) {
            fail(what + " failed with " + errnoName(P.errno()));
        }
        return rc;
    }

    static long ok(long rc, String what) {
        if (rc < 0) {
            fail(what + " failed with " + errnoName(P.errno()));
        }
        return rc;
    }

    /** Asserts that the call returns -1 with exactly {@code expected} in errno. */
    static void expectErrno(Errno expected, String what, IntSupplier call) {
        int rc = call.getAsInt();
        int errno = P.errno();
        if (rc >= 0) {
            fail(what + ": expected " + expected + " but it succeeded (rc=" + rc + ")");
        }
        assertEquals(expected.name(), errnoName(errno), what);
    }

    static void expectErrnoL(Errno expected, String what, LongSupplier call) {
        long rc = call.getAsLong();
        int errno = P.errno();
        if (rc >= 0) {
            fail(what + ": expected " + expected + " but it succeeded (rc=" + rc + ")");
        }
        assertEquals(expected.name(), errnoName(errno), what);
    }

    static int open(Path p, int flags, int mode) {
        return ok(P.open(p.toString(), flags, mode), "open(" + p + ", 0" + Integer.toOctalString(flags) + ")");
    }

    static void close(int fd) {
        ok(P.close(fd), "close(" + fd + ")");
    }

    static void pwriteFully(int fd, byte[] data, long offset) {
        long n = ok(P.pwrite(fd, data, (long) data.length, offset), "pwrite@" + offset);
        assertEquals(data.length, n, "short pwrite at " + offset);
    }

    static void writeFully(int fd, byte[] data) {
        long n = ok(P.write(fd, data, (long) data.length), "write");
        assertEquals(data.length, n, "short write");
    }

    /** Reads up to {@code len} bytes at {@code offset}, looping over short reads; stops at EOF. */
    static byte[] pread(int fd, long offset, int len) {
        byte[] out = new byte[len];
        int got = 0;
        while (got < len) {
            byte[] buf = new byte[len - got];
            long n = ok(P.pread(fd, buf, (long) buf.length, offset + got), "pread@" + (offset + got));
            if (n == 0) {
                break;
            }
            System.arraycopy(buf, 0, out, got, (int) n);
            got += (int) n;
        }
        return got == len ? out : java.util.Arrays.copyOf(out, got);
    }

    static FileStat lstat(Path p) {
        FileStat st = P.allocateStat();
        ok(P.lstat(p.toString(), st), "lstat(" + p + ")");
        return st;
    }

    static FileStat stat(Path p) {
        FileStat st = P.allocateStat();
        ok(P.stat(p.toString(), st), "stat(" + p + ")");
        return st;
    }

    static FileStat fstat(int fd) {
        FileStat st = P.allocateStat();
        ok(P.fstat(fd, st), "fstat(" + fd + ")");
        return st;
    }

    static int lstatRc(Path p) {
        return P.lstat(p.toString(), P.allocateStat());
    }

    static String readlink(Path p) {
        byte[] buf = new byte[4096];
        int n = ok(P.readlink(p.toString(), buf, buf.length), "readlink(" + p + ")");
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    /** Creates (or truncates) a file holding exactly {@code data}, mode 0644 before umask. */
    static void writeFile(Path p, byte[] data) {
        int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        try {
            if (data.length > 0) {
                pwriteFully(fd, data, 0);
            }
        } finally {
            close(fd);
        }
    }

    /** The whole content of a file. */
    static byte[] readFile(Path p) {
        int fd = open(p, O_RDONLY, 0);
        try {
            long size = fstat(fd).st_size();
            return pread(fd, 0, Math.toIntExact(size));
        } finally {
            close(fd);
        }
    }
}
