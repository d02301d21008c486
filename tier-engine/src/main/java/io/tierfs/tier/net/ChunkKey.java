package io.tierfs.tier.net;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;

import java.util.regex.Pattern;

/**
 * One chunk copy held for another node: which node borrowed the space ({@code owner}), and the chunk's identity in
 * that node's layout (inode, chunk index, generation). The owner names a directory on the lender, so it is limited
 * to characters that are safe in a path ({@code [A-Za-z0-9._-]+}, not "." or "..", at most 255 characters).
 */
public record ChunkKey(String owner, long ino, int chunk, long gen) {
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9._-]{1,255}");

    public ChunkKey {
        checkOwner(owner);
        if (chunk < 0) {
            throw new FsException(Errno.EINVAL, "chunk index must not be negative: " + chunk);
        }
    }

    /** Throws EINVAL unless {@code owner} is a safe owner name. */
    public static String checkOwner(String owner) {
        if (owner == null || !OWNER.matcher(owner).matches() || owner.equals(".") || owner.equals("..")) {
            throw new FsException(Errno.EINVAL, "bad owner name '" + owner + "' (allowed: [A-Za-z0-9._-]+, not . or ..)");
        }
        return owner;
    }

    /** The file name of this chunk inside its bucket: {@code <ino>.<chunk>.<gen>}. */
    public String fileName() {
        return ino + "." + chunk + "." + gen;
    }

    /** The bucket directory of this chunk: the low byte of the inode number as two hex digits. */
    public String bucket() {
        return String.format("%02x", ino & 0xff);
    }

    /** Parses a chunk file name of {@code owner}; null for a name that is not a chunk file. */
    public static ChunkKey parse(String owner, String fileName) {
        int a = fileName.indexOf('.');
        int b = a < 0 ? -1 : fileName.indexOf('.', a + 1);
        if (a <= 0 || b <= a + 1 || b == fileName.length() - 1) {
            return null;
        }
        try {
            int chunk = Integer.parseInt(fileName.substring(a + 1, b));
            return chunk < 0 ? null : new ChunkKey(owner, Long.parseLong(fileName.substring(0, a)), chunk,
                    Long.parseLong(fileName.substring(b + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return owner + ":" + ino + "#" + chunk + "." + gen;
    }
}
