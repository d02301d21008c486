package io.tierfs.meta.local;

import io.tierfs.common.Caller;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.client.DirGateway;
import io.tierfs.meta.client.NamespaceCore;
import io.tierfs.meta.client.RangeAllocator;
import io.tierfs.meta.client.RenameSettings;
import io.tierfs.meta.state.Decision;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.DirEvent;
import io.tierfs.meta.state.DirLogic;
import io.tierfs.meta.state.DirState;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The namespace in memory, in process, without Pekko: the very state machine of the directory entities
 * ({@link DirLogic}, {@link DirState}) and the very orchestration of the cluster client ({@link NamespaceCore}),
 * driven under one lock. For tests of the layers above (VFS) and for tools; nothing survives {@link #close()}.
 */
public final class LocalNamespace extends NamespaceCore {

    public LocalNamespace(Clock clock) {
        this(clock, Caller.ROOT);
    }

    /** @param owner uid/gid of the root directory */
    public LocalNamespace(Clock clock, Caller owner) {
        this(new Store(clock), owner);
    }

    private LocalNamespace(Store store, Caller owner) {
        super(store, new RangeAllocator(store::reserve, 4096), store::inodeCount, RenameSettings.inProcess(store.clock));
        store.ask(InodeRef.ROOT_INO, new DirCommand.InitDir(InodeRef.ROOT_INO, 0755, owner.uid(), owner.gid()));
    }

    /** All directory states, mutated under the store's lock. */
    private static final class Store implements DirGateway {
        private final Clock clock;
        private final Map<Long, DirState> dirs = new HashMap<>();
        private long nextRange = 1024;

        Store(Clock clock) {
            this.clock = clock;
        }

        /** In memory there is no journal: early and synchronous replies are the same, barriers are no-ops. */
        @Override
        public void sync(long dir) {
        }

        @Override
        public void syncAll() {
        }

        @Override
        public synchronized Object ask(long dir, DirCommand cmd, boolean early) {
            DirState s = dirs.get(dir);
            if (s == null) {
                if (!(cmd instanceof DirCommand.InitDir)) {
                    throw FsException.of(Errno.ENOENT, "directory %d does not exist", dir);
                }
                s = new DirState(dir);
                dirs.put(dir, s);
            }
            Decision d = DirLogic.decide(s, cmd, nowNs());
            for (DirEvent e : d.events()) {
                s.apply(e);
            }
            return d.reply();
        }

        private long nowNs() {
            return io.tierfs.common.time.Times.nowNs(clock);
        }

        synchronized long reserve(long n) {
            long start = nextRange;
            nextRange += n;
            return start;
        }

        synchronized long inodeCount() {
            long n = 0;
            for (DirState s : dirs.values()) {
                n += s.inodeCount();
            }
            return n;
        }
    }
}
