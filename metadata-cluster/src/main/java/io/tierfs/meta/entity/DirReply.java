package io.tierfs.meta.entity;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.meta.state.CborSerializable;

/** The answer to a {@link DirEnvelope}: a value, or the errno of a refused command. */
public record DirReply(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object value, Errno errno, String message)
        implements CborSerializable {

    public static DirReply ok(Object value) {
        return new DirReply(value, null, null);
    }

    public static DirReply failed(Errno errno, String message) {
        return new DirReply(null, errno, message);
    }

    /** The value, or the failure rethrown as an FsException in the caller's thread. */
    public Object valueOrThrow() {
        if (errno != null) {
            throw new FsException(errno, message.startsWith(errno.name() + ": ")
                    ? message.substring(errno.name().length() + 2) : message);
        }
        return value;
    }
}
