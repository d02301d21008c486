package io.tierfs.it;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import jnr.posix.FileStat;

/**
 * Everything observable about a tree that two POSIX file systems must agree on: per relative path the type,
 * permission bits, nlink, size and content checksum (files) or target (symlinks). Inode numbers and times are left
 * out on purpose: they legitimately differ between two file systems.
 */
record TreeSnapshot(Map<String, Entry> entries) {

    /** One name in the tree. */
    record Entry(char type, int perm, long nlink, long size, long crc, String linkTarget) {
        @Override
        public String toString() {
            return type + " 0" + Integer.toOctalString(perm) + " nlink=" + nlink
                    + (type == 'f' ? " size=" + size + " crc=" + Long.toHexString(crc) : "")
                    + (type == 'l' ? " -> " + linkTarget : "");
        }
    }

    static TreeSnapshot of(Path root) throws IOException {
        Map<String, Entry> out = new TreeMap<>();
        walk(root, root, out);
        return new TreeSnapshot(out);
    }

    private static void walk(Path root, Path dir, Map<String, Entry> out) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        }
        for (Path child : children) {
            FileStat st = Sys.lstat(child);
            String rel = root.relativize(child).toString();
            int perm = st.mode() & 07777;
            if (st.isDirectory()) {
                out.put(rel, new Entry('d', perm, st.nlink(), 0, 0, null));
                walk(root, child, out);
            } else if (st.isSymlink()) {
                out.put(rel, new Entry('l', 0, st.nlink(), st.st_size(), 0, Sys.readlink(child)));
            } else if (st.isFile()) {
                out.put(rel, new Entry('f', perm, st.nlink(), st.st_size(), TreeOps.crcOfFile(child), null));
            } else {
                out.put(rel, new Entry('?', perm, st.nlink(), st.st_size(), 0, null));
            }
        }
    }

    /** A readable list of the differences, empty when equal. */
    String diff(TreeSnapshot actual) {
        StringBuilder sb = new StringBuilder();
        TreeMap<String, Entry> all = new TreeMap<>(entries);
        actual.entries.forEach(all::putIfAbsent);
        for (String name : all.keySet()) {
            Entry want = entries.get(name);
            Entry got = actual.entries.get(name);
            if (!Objects.equals(want, got)) {
                sb.append("  ").append(name).append(": expected ").append(want).append(", got ").append(got)
                        .append('\n');
            }
        }
        return sb.toString();
    }
}
