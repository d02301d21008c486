package io.tierfs.meta;

import io.tierfs.common.Attr;
import io.tierfs.common.DirEntry;
import io.tierfs.common.FileType;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Node;

import java.util.HexFormat;
import java.util.List;

/** A textual dump of a whole tree (names, attributes, xattrs, link targets) to compare before and after restart. */
public final class TreeDump {
    private TreeDump() {
    }

    public static String dump(Namespace ns) {
        StringBuilder sb = new StringBuilder();
        Attr root = ns.getattr(InodeRef.ROOT);
        sb.append("/ ").append(root).append(xattrs(ns, InodeRef.ROOT)).append('\n');
        dumpDir(ns, InodeRef.ROOT_INO, "", sb);
        return sb.toString();
    }

    private static void dumpDir(Namespace ns, long dir, String path, StringBuilder sb) {
        String after = null;
        while (true) {
            List<DirEntry> page = ns.readdir(dir, after, 100);
            if (page.isEmpty()) {
                return;
            }
            for (DirEntry e : page) {
                Node n = ns.lookup(dir, e.name());
                String p = path + "/" + e.name();
                sb.append(p).append(' ').append(n.ref()).append(' ').append(n.attr()).append(xattrs(ns, n.ref()));
                if (n.attr().type() == FileType.SYMLINK) {
                    sb.append(" -> ").append(ns.readlink(n.ref()));
                }
                sb.append('\n');
                if (e.type() == FileType.DIRECTORY) {
                    dumpDir(ns, e.ino(), p, sb);
                }
            }
            after = page.get(page.size() - 1).name();
        }
    }

    private static String xattrs(Namespace ns, InodeRef ref) {
        StringBuilder sb = new StringBuilder();
        for (String x : ns.listxattr(ref)) {
            sb.append(' ').append(x).append('=').append(HexFormat.of().formatHex(ns.getxattr(ref, x)));
        }
        return sb.toString();
    }
}
