package io.tierfs.tier.engine;

import java.nio.file.Path;

/**
 * The name of one chunk copy inside a tier directory: {@code <ino%256 as 2 hex>/<ino>.<index>.<generation>}.
 * Encoding the generation in the name means a new copy never overwrites an old one, which is what makes every
 * switch of the layout crash-safe (the old file stays until the switch is persisted).
 */
public record ChunkFileName(long ino, int index, long gen) {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    public static String subdir(long ino) {
        int b = (int) (ino & 0xff);
        return new String(new char[]{HEX[b >>> 4], HEX[b & 0xf]});
    }

    public Path resolve(Path tierDir) {
        return tierDir.resolve(subdir(ino)).resolve(ino + "." + index + "." + gen);
    }

    /** Parses a file name; null for a name that is not a chunk file. */
    public static ChunkFileName parse(String name) {
        int a = name.indexOf('.');
        int b = a < 0 ? -1 : name.indexOf('.', a + 1);
        if (a <= 0 || b <= a + 1 || b == name.length() - 1) {
            return null;
        }
        try {
            return new ChunkFileName(Long.parseLong(name.substring(0, a)), Integer.parseInt(name.substring(a + 1, b)),
                    Long.parseLong(name.substring(b + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
