package io.tierfs.node.fsck;

import io.tierfs.common.Caller;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Node;
import io.tierfs.meta.client.DirGateway;
import io.tierfs.meta.state.Dentry;
import io.tierfs.meta.state.DirCommand;

import java.util.function.LongConsumer;

/**
 * {@link RepairTarget} over the directory entities (synchronous asks: every change is durable when it returns)
 * and the tier store's delete.
 */
public final class GatewayRepairTarget implements RepairTarget {
    public static final String LOST_FOUND = "lost+found";

    private final Namespace ns;
    private final DirGateway gw;
    private final LongConsumer deleteData;

    /**
     * @param ns         for /lost+found (looked up, or made like any mkdir)
     * @param gw         the same namespace's gateway
     * @param deleteData frees every chunk of an inode
     */
    public GatewayRepairTarget(Namespace ns, DirGateway gw, LongConsumer deleteData) {
        this.ns = ns;
        this.gw = gw;
        this.deleteData = deleteData;
    }

    @Override
    public boolean removeDentry(long dir, String name, long ino) {
        return (Boolean) gw.ask(dir, new DirCommand.RemoveDentry(name, ino));
    }

    @Override
    public void addDentry(long dir, String name, Dentry dentry) {
        gw.ask(dir, new DirCommand.AddRemote(name, dentry));
    }

    @Override
    public void renameLocal(long dir, String from, long ino, String to) {
        gw.ask(dir, new DirCommand.RenameLocal(from, ino, to, 0));
    }

    @Override
    public void adjustLink(long home, long ino, int delta) {
        gw.ask(home, new DirCommand.AdjustLink(ino, delta));
    }

    @Override
    public void deleteData(long ino) {
        deleteData.accept(ino);
    }

    @Override
    public void setParent(long dir, long parent) {
        gw.ask(dir, new DirCommand.SetParent(parent));
    }

    @Override
    public void discardDir(long dir) {
        gw.ask(dir, new DirCommand.MarkRemoving());
        gw.ask(dir, new DirCommand.MarkRemoved());
    }

    @Override
    public long lostAndFound() {
        try {
            Node n = ns.lookup(InodeRef.ROOT_INO, LOST_FOUND);
            if (!n.ref().isDirectoryRef()) {
                throw FsException.of(Errno.ENOTDIR, "/%s exists and is not a directory", LOST_FOUND);
            }
            return n.ref().ino();
        } catch (FsException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
        return ns.mkdir(InodeRef.ROOT_INO, LOST_FOUND, 0700, Caller.ROOT).ref().ino();
    }

    @Override
    public void addSubdir(long dir, String name, long child) {
        gw.ask(dir, new DirCommand.AddSubdir(name, child));
    }
}
