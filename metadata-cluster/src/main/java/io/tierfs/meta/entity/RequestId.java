package io.tierfs.meta.entity;

import io.tierfs.meta.state.CborSerializable;

/**
 * Names one call of a client to a directory, the same for every retry of that call, so that the entity applies
 * it once and answers a retry with the first answer ({@link DirFront}). {@code client}: one thread of one gateway
 * instance (a random id plus the thread id), which has at most one command outstanding; {@code seq} grows with
 * every call of that client, so an older seq is a stale copy of a call the client has already given up on.
 */
public record RequestId(String client, long seq) implements CborSerializable {
    @Override
    public String toString() {
        return client + "#" + seq;
    }
}
