package io.tierfs.node.policy;

import io.tierfs.common.DirEntry;
import io.tierfs.common.FileType;
import io.tierfs.common.FsException;
import io.tierfs.migration.policy.glob.Glob;
import io.tierfs.vfs.Vfs;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the files a pre-stage request names: each glob is walked from its longest literal directory prefix (a
 * glob that does not start with '/' from the root), at most {@link #MAX_VISITED} entries per request; every file
 * found is remembered by the VFS under that path so that the planner, which matches globs against paths, sees it.
 */
public final class PrestageResolver {
    public static final int MAX_VISITED = 200_000;
    private final Vfs vfs;

    public PrestageResolver(Vfs vfs) {
        this.vfs = vfs;
    }

    /** The regular files matching any of {@code globs}, in request order. */
    public Set<String> resolve(List<String> globs) {
        Set<String> out = new LinkedHashSet<>();
        int[] visited = {0};
        for (String g : globs) {
            Glob glob = Glob.compile(g);
            walk(start(g), glob, out, visited);
        }
        return out;
    }

    static String start(String glob) {
        if (!glob.startsWith("/")) {
            return "/";
        }
        int wild = 0;
        while (wild < glob.length() && "*?[{\\".indexOf(glob.charAt(wild)) < 0) {
            wild++;
        }
        if (wild == glob.length()) {
            return glob; // a plain path
        }
        int slash = glob.lastIndexOf('/', wild);
        return slash <= 0 ? "/" : glob.substring(0, slash);
    }

    private void walk(String from, Glob glob, Set<String> out, int[] visited) {
        Deque<String> dirs = new ArrayDeque<>();
        try {
            if (vfs.getattr(from).type() != FileType.DIRECTORY) {
                if (glob.matches(from)) {
                    vfs.rememberPath(from);
                    out.add(from);
                }
                return;
            }
        } catch (FsException e) {
            return; // nothing there
        }
        dirs.add(from);
        while (!dirs.isEmpty()) {
            String dir = dirs.poll();
            List<DirEntry> entries;
            try {
                entries = vfs.readdir(dir);
            } catch (FsException e) {
                continue; // removed meanwhile
            }
            for (DirEntry e : entries) {
                if (++visited[0] > MAX_VISITED) {
                    throw new IllegalArgumentException("pre-stage: more than " + MAX_VISITED
                            + " entries to search; name narrower paths");
                }
                if (e.name().equals(".") || e.name().equals("..")) {
                    continue;
                }
                String p = dir.equals("/") ? "/" + e.name() : dir + "/" + e.name();
                if (e.type() == FileType.DIRECTORY) {
                    dirs.add(p);
                } else if (e.type() == FileType.REGULAR && glob.matches(p)) {
                    vfs.rememberPath(p);
                    out.add(p);
                }
            }
        }
    }
}
