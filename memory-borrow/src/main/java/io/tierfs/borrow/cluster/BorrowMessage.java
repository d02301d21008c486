package io.tierfs.borrow.cluster;

/** Marker of the memory-borrow control-plane messages that cross nodes (serialized with Jackson CBOR). */
public interface BorrowMessage {
}
