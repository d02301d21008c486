package io.tierfs.meta.cache;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tierfs.meta.state.CborSerializable;

import java.util.List;

/**
 * What a directory entity tells every client node after it decided a change: which cached names, attributes and
 * extended attributes are stale. Pushed (not timed out) so that a change made through one node's mount is seen
 * through another's within the delivery latency; the clients' short TTL only bounds what a lost message costs.
 *
 * @param origin the cluster address of the client that made the change (its own caches are already right)
 * @param dir    the directory entity that changed
 */
public record Invalidation(String origin, long dir, List<Item> items) implements CborSerializable {

    /** One stale thing. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
    @JsonSubTypes({@JsonSubTypes.Type(value = Entry.class, name = "entry"),
            @JsonSubTypes.Type(value = Attr.class, name = "attr"),
            @JsonSubTypes.Type(value = Xattr.class, name = "xattr"),
            @JsonSubTypes.Type(value = Directory.class, name = "dir")})
    public sealed interface Item {
    }

    /** The name {@code name} in {@link #dir} points elsewhere or nowhere now. */
    public record Entry(String name) implements Item {
    }

    /** The attributes of {@code ino} changed. */
    public record Attr(long ino) implements Item {
    }

    public record Xattr(long ino, String name) implements Item {
    }

    /** Every name in {@link #dir} (the directory was removed or moved). */
    public record Directory() implements Item {
    }
}
