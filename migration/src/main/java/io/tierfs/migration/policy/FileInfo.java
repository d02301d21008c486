package io.tierfs.migration.policy;

import io.tierfs.migration.policy.expr.ExprInputs;

import java.util.Map;

/**
 * What the policy sees of a file: the attributes its rules match and its victim orders sort by. Built by the live
 * mover from the namespace and layout, by the simulator from its file table, or by a REST client for a dry run.
 *
 * @param ino          inode number
 * @param path         absolute path in the TierFS namespace ("/a/b"); "" if unknown (path globs then never match)
 * @param size         file size in bytes (what size rules and expressions see)
 * @param bytes        bytes of the file on {@code tier} (what a move of it carries); usually {@code size}
 * @param uid          owner user id
 * @param gid          owner group id
 * @param mtimeMillis  last modification
 * @param atimeMillis  last access
 * @param heat         decayed access count
 * @param accesses     total accesses counted
 * @param xattrs       the file's {@code user.tierfs.*} extended attributes (others are ignored)
 * @param tier         index of the tier the bytes are on (0 = fastest)
 */
public record FileInfo(long ino, String path, long size, long bytes, long uid, long gid, long mtimeMillis,
                       long atimeMillis, Heat heat, long accesses, Map<String, String> xattrs, int tier) {

    public FileInfo {
        if (path == null) {
            throw new IllegalArgumentException("path must not be null (use \"\" when unknown)");
        }
        if (size < 0 || bytes < 0) {
            throw new IllegalArgumentException("size and bytes must not be negative: " + size + ", " + bytes);
        }
        heat = heat == null ? Heat.COLD : heat;
        xattrs = xattrs == null ? Map.of() : Map.copyOf(xattrs);
    }

    /** A file of {@code size} bytes on {@code tier}, owned by root, never accessed, times 0. */
    public static FileInfo of(long ino, String path, long size, int tier) {
        return new FileInfo(ino, path, size, size, 0, 0, 0, 0, Heat.COLD, 0, Map.of(), tier);
    }

    /** What the tier engine's {@link FileStat} tells: no path, owner, heat or xattrs. */
    public static FileInfo fromStat(FileStat s, int tier) {
        return new FileInfo(s.ino(), "", s.bytes(), s.bytes(), 0, 0, s.lastAccessMillis(), s.lastAccessMillis(),
                Heat.COLD, 0, Map.of(), tier);
    }

    public FileInfo withOwner(long newUid, long newGid) {
        return new FileInfo(ino, path, size, bytes, newUid, newGid, mtimeMillis, atimeMillis, heat, accesses, xattrs,
                tier);
    }

    public FileInfo withTimes(long newMtime, long newAtime) {
        return new FileInfo(ino, path, size, bytes, uid, gid, newMtime, newAtime, heat, accesses, xattrs, tier);
    }

    public FileInfo withHeat(Heat newHeat, long newAccesses) {
        return new FileInfo(ino, path, size, bytes, uid, gid, mtimeMillis, atimeMillis, newHeat, newAccesses, xattrs,
                tier);
    }

    public FileInfo withXattrs(Map<String, String> newXattrs) {
        return new FileInfo(ino, path, size, bytes, uid, gid, mtimeMillis, atimeMillis, heat, accesses, newXattrs,
                tier);
    }

    public FileInfo onTier(int newTier, long newBytes) {
        return new FileInfo(ino, path, size, newBytes, uid, gid, mtimeMillis, atimeMillis, heat, accesses, xattrs,
                newTier);
    }

    /** The expression inputs at {@code nowMillis}: ages in seconds, heat decayed to now. */
    public ExprInputs inputs(long nowMillis, long halfLifeMillis) {
        return new ExprInputs(size, Math.max(0, nowMillis - mtimeMillis) / 1000.0,
                Math.max(0, nowMillis - atimeMillis) / 1000.0, heat.valueAt(nowMillis, halfLifeMillis), accesses,
                uid, gid);
    }
}
