package io.tierfs.meta.entity;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.meta.state.CborSerializable;

/** The answer to a {@link DirEnvelope}: a value, or the errno of a refused command. */
public record DirReply(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object value, Errno errno, String message)
        implements CborSerializable {

    public static DirReply ok(Object value) {
        if (value instanceof java.util.List<?> list && !list.isEmpty() && list.get(0) instanceof io.tierfs.common.DirEntry) {
            // a bare List<DirEntry> crosses CBOR as a list of maps (element types are erased): carry it typed
            @SuppressWarnings("unchecked")
            java.util.List<io.tierfs.common.DirEntry> entries = (java.util.List<io.tierfs.common.DirEntry>) list;
            return new DirReply(new Listing(entries), null, null);
        }
        return new DirReply(value, null, null);
    }

    public static DirReply failed(Errno errno, String message) {
        return new DirReply(null, errno, message);
    }

    /** A readdir page as one typed value (see {@link #ok}). */
    public record Listing(java.util.List<io.tierfs.common.DirEntry> entries) implements CborSerializable {
    }

    /** The value, or the failure rethrown as an FsException in the caller's thread. */
    public Object valueOrThrow() {
        if (errno != null) {
            throw new FsException(errno, message.startsWith(errno.name() + ": ")
                    ? message.substring(errno.name().length() + 2) : message);
        }
        return value instanceof Listing l ? l.entries() : value;
    }
}
