package io.tierfs.meta.cache;

import io.tierfs.meta.state.CborSerializable;

import java.util.List;

/**
 * The invalidations a member's directories decided within one linger window, sent as one pub-sub message: during
 * a create storm one message per change and member cost more CPU than the changes themselves.
 */
public record InvalidationBatch(List<Invalidation> changes) implements CborSerializable {
}
