package io.tierfs.tier.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.function.BiConsumer;

/**
 * Where the chunk copies of one tier physically live: a local directory ({@link LocalDirSpace}), or memory lent by
 * other nodes and reached over the data plane (memory-borrow's lent space). The engine keeps the byte account of the
 * tier against {@link #capacity()}; a space that spreads chunks over several places (lenders) also accounts per
 * place through {@link #admit} and {@link #released}, which name the chunk so that growth lands where the chunk is.
 * <p>
 * Invariant the engine keeps for volatile tiers: at most one copy of a chunk (ino, index) lies on a tier at a time,
 * so a space may key its placement by (ino, index); the generation only names the copy.
 */
public interface ChunkSpace {

    /** Bytes this space may hold now; a lent space's capacity follows its leases. */
    long capacity();

    /** Takes {@code bytes} for chunk (ino, index) at the place that holds (or will hold) it; false if it has no room. */
    default boolean admit(long ino, int index, long bytes) {
        return true;
    }

    /** Gives back {@code bytes} of chunk (ino, index) taken by {@link #admit} (or found at recovery). */
    default void released(long ino, int index, long bytes) {
    }

    /** Bytes of chunk (ino, index) found at recovery (counted even beyond a lowered capacity). */
    default void recovered(long ino, int index, long bytes) {
    }

    /** Opens (creating if asked) one chunk copy for reading and writing. */
    FileChannel open(long ino, int index, long gen, boolean create) throws IOException;

    /**
     * The local file holding one chunk copy, for readers that hand it to the kernel (splice); null when the copy is
     * not a local file (lent memory) and must be read through {@link #open}.
     */
    default java.nio.file.Path localFile(long ino, int index, long gen) {
        return null;
    }

    /**
     * One chunk copy was just forced and another tier holds the chunk's primary (a DRAM chunk's durable copy): the
     * kernel's cached pages of this copy are a second in-memory copy of those bytes, so a space whose copies are
     * local files lets the kernel drop them. Advice only: nothing is lost, and a space may ignore it.
     */
    default void dropCachedPages(long ino, int index, long gen) {
    }

    /** Deletes one chunk copy; a missing copy is not an error (deletes are idempotent). */
    void delete(long ino, int index, long gen);

    /** Calls {@code sink} for every chunk copy the space holds, with its size. */
    void scan(BiConsumer<ChunkFileName, Long> sink);

    /** Makes the creation of new copies durable (fsync of directories); nothing for volatile spaces. */
    default void syncDirs() {
    }

    /** The node that holds chunk (ino, index), for {@code tierfs where}; null if the space does not know it. */
    default String nodeOf(long ino, int index) {
        return null;
    }

    /**
     * False when the place holding chunk (ino, index) is known to be gone (a lender that crashed): the engine then
     * serves a clean chunk from its durable copy instead. Local spaces are always reachable.
     */
    default boolean reachable(long ino, int index) {
        return true;
    }

    /**
     * New chunks of {@code ino} should get a second copy where the space can keep one (a policy's
     * {@code dramReplica}); spaces without replicas ignore it.
     */
    default void keepReplicas(long ino) {
    }

    /** {@code ino} is gone: drop what {@link #keepReplicas} remembered of it. */
    default void forget(long ino) {
    }

    /** Where the space is, for messages: a directory, or the lenders. */
    String describe();
}
