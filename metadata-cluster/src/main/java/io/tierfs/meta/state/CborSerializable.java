package io.tierfs.meta.state;

/**
 * Marker for everything that Pekko serializes with pekko-serialization-jackson (CBOR): events, snapshots and the
 * messages to entities. Bound in the node's configuration; kept free of Pekko imports so the state machine stays pure.
 */
public interface CborSerializable {
}
