package io.tierfs.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The four xattr system calls of libc through jnr-ffi, because jnr-posix has none and NIO's
 * UserDefinedFileAttributeView hides errno and the non-user namespaces. Returns raw rc; errno via {@link #errno()}.
 */
final class Xattr {

    static final int XATTR_CREATE = 1;
    static final int XATTR_REPLACE = 2;

    /** The libc prototypes. */
    public interface LibC {
        int setxattr(String path, String name, byte[] value, @size_t long size, int flags);

        @ssize_t long getxattr(String path, String name, byte[] value, @size_t long size);

        @ssize_t long listxattr(String path, byte[] list, @size_t long size);

        int removexattr(String path, String name);
    }

    private static final LibC C = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(C);

    private Xattr() {
    }

    static int set(String path, String name, byte[] value, int flags) {
        return C.setxattr(path, name, value, value.length, flags);
    }

    static long get(String path, String name, byte[] buf) {
        return C.getxattr(path, name, buf, buf == null ? 0 : buf.length);
    }

    static long list(String path, byte[] buf) {
        return C.listxattr(path, buf, buf == null ? 0 : buf.length);
    }

    static int remove(String path, String name) {
        return C.removexattr(path, name);
    }

    static int errno() {
        return LastError.getLastError(RUNTIME);
    }

    /** Splits a listxattr buffer (NUL-separated names) into names. */
    static List<String> names(byte[] buf, long len) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < len; i++) {
            if (buf[i] == 0) {
                out.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }
}
