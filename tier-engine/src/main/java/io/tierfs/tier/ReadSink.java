package io.tierfs.tier;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Receives a read as extents rather than as copied bytes, so that the FUSE edge can hand the kernel a chunk file's
 * descriptor to splice from instead of copying the bytes through a buffer first (a cold read is bound by the
 * kernel's copies: three without splice, two with it).
 * <p>
 * The store calls it for consecutive extents in file order that together cover exactly the range asked for.
 */
public interface ReadSink {

    /**
     * The next {@code len} bytes are the bytes of the local file {@code file} at {@code pos}. Called while the
     * chunk is locked against moves and truncation: a sink that wants them must open the file before returning
     * (what it reads from that descriptor later is what a read racing with a later write or truncate may see).
     *
     * @return false if the sink does not take the extent as a file; the store then copies it into
     *         {@link #memory(int)}
     */
    boolean file(Path file, long pos, int len);

    /**
     * A buffer of {@code len} bytes (position 0, limit {@code len}) for the next bytes, which the store puts there
     * (zeros for holes), leaving the position after the last byte. A store that has fewer (a short read at the end
     * of a remote home's data) leaves the position short, and the read ends there.
     */
    ByteBuffer memory(int len);
}
