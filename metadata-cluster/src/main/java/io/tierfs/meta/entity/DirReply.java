package io.tierfs.meta.entity;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.meta.state.CborSerializable;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer to a {@link DirEnvelope}: a value, or the errno of a refused command. {@code retryable}: the entity
 * did not decide the command (it stopped: journal failure, hand-off) and the client should send the same request
 * again; never set on a real POSIX answer.
 * <p>
 * Why two value components: a reply crosses the network in CBOR with its value typed by class name, and a list's
 * elements would come back as untyped maps; a list reply (readdir, listxattr, pending intents) therefore travels
 * in {@code items}, whose elements are typed one by one. Use {@link #value()}.
 */
public record DirReply(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object item,
                       @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) List<Object> items,
                       Errno errno, String message, boolean retryable) implements CborSerializable {

    public static DirReply ok(Object value) {
        return value instanceof List<?> list ? new DirReply(null, new ArrayList<>(list), null, null, false)
                : new DirReply(value, null, null, null, false);
    }

    public static DirReply failed(Errno errno, String message) {
        return new DirReply(null, null, errno, message, false);
    }

    /** The entity could not decide the command; the same request may be sent again (EIO once retries end). */
    public static DirReply retryLater(String message) {
        return new DirReply(null, null, Errno.EIO, message, true);
    }

    /** The reply value (null for a failure). */
    public Object value() {
        return items != null ? items : item;
    }

    /** The value, or the failure rethrown as an FsException in the caller's thread. */
    public Object valueOrThrow() {
        if (errno != null) {
            throw new FsException(errno, message.startsWith(errno.name() + ": ")
                    ? message.substring(errno.name().length() + 2) : message);
        }
        return value();
    }
}
