package io.tierfs.node.fsck;

import io.tierfs.common.Attr;
import io.tierfs.common.DirEntry;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.time.Await;
import io.tierfs.meta.client.DirGateway;
import io.tierfs.meta.state.Dentry;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.RenameIntent;
import io.tierfs.meta.state.Replies;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link NamespaceSource} over the directory entities: every question is one read-only command to one entity
 * (answered from its live state, nothing persisted). The list of directory entities comes from elsewhere (the
 * journal, see {@link JournalDirectories}), because no entity knows the directories that nothing names.
 */
public final class GatewaySource implements NamespaceSource {
    private final DirGateway gw;
    private final Supplier<List<Long>> directoryIds;

    public GatewaySource(DirGateway gw, Supplier<List<Long>> directoryIds) {
        this.gw = gw;
        this.directoryIds = directoryIds;
    }

    @Override
    public List<Long> directoryIds() {
        return directoryIds.get();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<DirInfo> dir(long ino) {
        Attr attr;
        try {
            attr = (Attr) gw.ask(ino, new DirCommand.GetAttr(ino));
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT) {
                return Optional.empty();
            }
            throw e;
        }
        long parent = (Long) gw.ask(ino, new DirCommand.GetParent());
        List<RenameIntent> intents = (List<RenameIntent>) gw.ask(ino, new DirCommand.PendingIntents());
        return Optional.of(new DirInfo(ino, parent, attr, intents));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<RenameIntent> pendingIntents(long dir) {
        try {
            return (List<RenameIntent>) gw.ask(dir, new DirCommand.PendingIntents());
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT) {
                return List.of();
            }
            throw e;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<DirEntry> readdir(long dir, String after, int max) {
        return (List<DirEntry>) gw.ask(dir, new DirCommand.Readdir(after, max));
    }

    @Override
    public Dentry lookup(long dir, String name) {
        return ((Replies.Entry) gw.ask(dir, new DirCommand.Lookup(name))).dentry();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Attr> homed(long dir, long after, int max) {
        return (List<Attr>) gw.ask(dir, new DirCommand.ListHomed(after, max));
    }

    @Override
    public Optional<Attr> getattr(long home, long ino) {
        try {
            return Optional.of((Attr) gw.ask(home, new DirCommand.GetAttr(ino)));
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.EPERM) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public boolean awaitRenames(Collection<Long> dirs, Duration timeout) {
        return Await.within(timeout, () -> dirs.stream().allMatch(d -> pendingIntents(d).isEmpty()));
    }
}
