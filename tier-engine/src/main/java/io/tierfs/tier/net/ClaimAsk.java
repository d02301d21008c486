package io.tierfs.tier.net;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;

/**
 * A member's CLAIM to a file's data home: who holds claim units {@code first}, {@code first+stride}, ...
 * ({@code count} of them) of the file, the unclaimed ones to be claimed for {@code member}. The asker's claim unit
 * travels with it because units are numbered in it: a home that deals in another unit refuses rather than answer
 * for different bytes. A stride lets a writer of interleaved transfers (IOR's strided layout) claim the units it
 * will write next without taking those in between, which other members write.
 *
 * @param unit the asker's claim unit in bytes
 */
public record ClaimAsk(long first, int count, int stride, long unit, String member) {
    /** Most units one CLAIM asks for. */
    public static final int MAX_COUNT = 1024;

    /** @throws FsException EINVAL for a claim that names no unit, too many, a negative one, or no member */
    public ClaimAsk {
        if (count < 1 || count > MAX_COUNT || first < 0 || stride < 1 || unit <= 0 || Long.bitCount(unit) != 1
                || member == null || member.isEmpty()) {
            throw new FsException(Errno.EINVAL, "a claim names 1.." + MAX_COUNT + " units from a non-negative index "
                    + "at a stride of at least 1, in power-of-two units, for a member; not " + count + " from "
                    + first + " at stride " + stride + " in units of " + unit + " for '" + member + "'");
        }
    }

    /** The index of the {@code i}-th unit asked for. */
    public long unitAt(int i) {
        return first + (long) i * stride;
    }
}
