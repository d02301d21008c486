package io.tierfs.node.metrics;

import io.tierfs.common.Attr;
import io.tierfs.common.Caller;
import io.tierfs.common.DirEntry;
import io.tierfs.common.InodeRef;
import io.tierfs.common.SetAttr;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Node;
import io.tierfs.meta.api.Removal;

import java.util.List;
import java.util.function.Supplier;

/**
 * The namespace with every operation counted by type and timed, for the metadata metrics. A pure decorator: it
 * changes no behaviour (exceptions pass through, counted as errors of their operation).
 */
public final class TimedNamespace implements Namespace {
    private final Namespace inner;
    private final MetadataOpStats stats;

    public TimedNamespace(Namespace inner, MetadataOpStats stats) {
        this.inner = inner;
        this.stats = stats;
    }

    private <T> T timed(String op, Supplier<T> call) {
        long t0 = System.nanoTime();
        boolean failed = true;
        try {
            T r = call.get();
            failed = false;
            return r;
        } finally {
            stats.record(op, System.nanoTime() - t0, failed);
        }
    }

    @Override
    public Node lookup(long dir, String name) {
        return timed("lookup", () -> inner.lookup(dir, name));
    }

    @Override
    public Attr getattr(InodeRef ref) {
        return timed("getattr", () -> inner.getattr(ref));
    }

    @Override
    public Node create(long dir, String name, int mode, Caller caller, boolean exclusive) {
        return timed("create", () -> inner.create(dir, name, mode, caller, exclusive));
    }

    @Override
    public Node mknod(long dir, String name, int mode, long rdev, Caller caller) {
        return timed("mknod", () -> inner.mknod(dir, name, mode, rdev, caller));
    }

    @Override
    public Node mkdir(long dir, String name, int mode, Caller caller) {
        return timed("mkdir", () -> inner.mkdir(dir, name, mode, caller));
    }

    @Override
    public Node symlink(long dir, String name, String target, Caller caller) {
        return timed("symlink", () -> inner.symlink(dir, name, target, caller));
    }

    @Override
    public String readlink(InodeRef ref) {
        return timed("readlink", () -> inner.readlink(ref));
    }

    @Override
    public Node link(InodeRef target, long dir, String name) {
        return timed("link", () -> inner.link(target, dir, name));
    }

    @Override
    public Removal unlink(long dir, String name) {
        return timed("unlink", () -> inner.unlink(dir, name));
    }

    @Override
    public void rmdir(long dir, String name) {
        timed("rmdir", () -> {
            inner.rmdir(dir, name);
            return null;
        });
    }

    @Override
    public Removal rename(long srcDir, String srcName, long dstDir, String dstName) {
        return timed("rename", () -> inner.rename(srcDir, srcName, dstDir, dstName));
    }

    @Override
    public Attr setattr(InodeRef ref, SetAttr change, Caller caller) {
        return timed("setattr", () -> inner.setattr(ref, change, caller));
    }

    @Override
    public Attr updateSize(InodeRef ref, long size, long mtimeNs, boolean exact) {
        return timed("updateSize", () -> inner.updateSize(ref, size, mtimeNs, exact));
    }

    @Override
    public List<DirEntry> readdir(long dir, String after, int max) {
        return timed("readdir", () -> inner.readdir(dir, after, max));
    }

    @Override
    public void setxattr(InodeRef ref, String name, byte[] value, int flags) {
        timed("setxattr", () -> {
            inner.setxattr(ref, name, value, flags);
            return null;
        });
    }

    @Override
    public byte[] getxattr(InodeRef ref, String name) {
        return timed("getxattr", () -> inner.getxattr(ref, name));
    }

    @Override
    public List<String> listxattr(InodeRef ref) {
        return timed("listxattr", () -> inner.listxattr(ref));
    }

    @Override
    public void removexattr(InodeRef ref, String name) {
        timed("removexattr", () -> {
            inner.removexattr(ref, name);
            return null;
        });
    }

    @Override
    public void sync(long dir) {
        timed("sync", () -> {
            inner.sync(dir);
            return null;
        });
    }

    @Override
    public void syncAll() {
        timed("syncAll", () -> {
            inner.syncAll();
            return null;
        });
    }
    @Override
    public long inodeCount() {
        return inner.inodeCount();
    }

    @Override
    public void close() {
        inner.close();
    }
}
