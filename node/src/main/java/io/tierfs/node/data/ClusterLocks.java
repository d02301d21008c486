package io.tierfs.node.data;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.concurrent.Stages;
import io.tierfs.lock.FileLocks;
import io.tierfs.lock.HeldLock;
import io.tierfs.lock.LockOwner;
import io.tierfs.lock.LockRequest;
import io.tierfs.lock.LockType;
import io.tierfs.node.data.LockProtocol.LockReply;
import io.tierfs.node.data.LockProtocol.LockReply.Outcome;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * This member's side of cluster-wide locks: each call goes to the {@link LockServiceActor} of the file's data home
 * (this member's own for files homed here or of unknown home), found through the receptionist and cached. A
 * waiting lock asks again each time the home answers WAITING, and meanwhile polls whether the kernel interrupted
 * the request (then the wait is withdrawn: EINTR). A home that does not answer fails the call with ENOLCK naming
 * the member, instead of a hang.
 */
public final class ClusterLocks implements FileLocks {
    private static final Logger log = LoggerFactory.getLogger(ClusterLocks.class);
    /** An answer to a non-waiting call, or the park of a waiting one plus this, or the home is taken for dead. */
    private static final Duration ASK = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 150;
    private static final Duration LOOKUP_PATIENCE = Duration.ofSeconds(5);

    private final ActorSystem<?> system;
    private final String selfHome;
    private final String selfMember;
    private final ActorRef<LockProtocol> local;
    private final Function<Long, Optional<String>> homeOf;
    private final ConcurrentHashMap<String, ActorRef<LockProtocol>> known = new ConcurrentHashMap<>();

    /**
     * @param selfHome   this member's data home id
     * @param selfMember this member's {@linkplain LockServiceActor#memberKey unique cluster address}
     * @param local      this member's lock service
     * @param homeOf     the data home of an inode (empty: unknown, locked here)
     */
    private volatile java.util.function.LongConsumer granted = ino -> { };

    public ClusterLocks(ActorSystem<?> system, String selfHome, String selfMember, ActorRef<LockProtocol> local,
                        Function<Long, Optional<String>> homeOf) {
        this.system = system;
        this.selfHome = selfHome;
        this.selfMember = selfMember;
        this.local = local;
        this.homeOf = homeOf;
    }

    private LockOwner owner(long id) {
        return new LockOwner(selfMember, id);
    }

    @Override
    public Optional<HeldLock> test(long ino, long owner, long pid, LockType type, long start, long end) {
        Target t = target(ino);
        LockReply r = ask(t, reply -> new LockProtocol.Test(ino,
                LockRequest.posix(owner(owner), pid, type, start, end), reply));
        if (r.outcome() != Outcome.DENIED) {
            return Optional.empty();
        }
        HeldLock c = r.conflict();
        // a pid names a process on the holder's machine only: another member's is reported as 0
        return Optional.of(c.owner().member().equals(selfMember) ? c : new HeldLock(c.owner(), 0, c.type(),
                c.start(), c.end()));
    }

    @Override
    public void lock(long ino, long owner, long pid, LockType type, long start, long end, boolean wait,
                     BooleanSupplier interrupted) {
        take(ino, LockRequest.posix(owner(owner), pid, type, start, end), wait, interrupted);
        granted.accept(ino);
    }

    @Override
    public void flock(long ino, long owner, long pid, LockType type, boolean wait, BooleanSupplier interrupted) {
        take(ino, LockRequest.flock(owner(owner), pid, type), wait, interrupted);
        granted.accept(ino);
    }

    /**
     * Told the inode of every lock this member was granted: what was read of the file before must not serve reads
     * under the lock (the data store's read-ahead; NFS revalidates its cache at lock time for the same reason).
     */
    public void onGranted(java.util.function.LongConsumer listener) {
        this.granted = listener;
    }

    @Override
    public void unlock(long ino, long owner, long start, long end) {
        ask(target(ino), reply -> new LockProtocol.Unlock(ino, owner(owner), start, end, reply));
    }

    @Override
    public void unlockAll(long ino, long owner) {
        ask(target(ino), reply -> new LockProtocol.UnlockAll(ino, owner(owner), reply));
    }

    @Override
    public void unflock(long ino, long owner) {
        ask(target(ino), reply -> new LockProtocol.Unflock(ino, owner(owner), reply));
    }

    private void take(long ino, LockRequest req, boolean wait, BooleanSupplier interrupted) {
        Target t = target(ino);
        if (!wait) {
            LockReply r = ask(t, reply -> new LockProtocol.Lock(ino, req, false, reply));
            if (r.outcome() == Outcome.DENIED) {
                throw FsException.of(Errno.EAGAIN, "inode %d: %s lock [%d, %d] held by %s", ino, req.type(),
                        r.conflict().start(), r.conflict().end(), r.conflict().owner());
            }
            return;
        }
        while (true) {
            CompletableFuture<LockReply> f = askAsync(t, reply -> new LockProtocol.Lock(ino, req, true, reply),
                    LockServiceActor.PARK.plus(ASK));
            LockReply r;
            while (true) {
                try {
                    r = f.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    if (interrupted.getAsBoolean()) {
                        withdraw(t, ino, req, f);
                        throw FsException.of(Errno.EINTR, "lock wait on inode %d interrupted", ino);
                    }
                } catch (ExecutionException e) {
                    throw unreachable(t, e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    withdraw(t, ino, req, f);
                    throw FsException.of(Errno.EINTR, "lock wait on inode %d interrupted", ino);
                }
            }
            if (r.outcome() == Outcome.GRANTED) {
                return;
            }
            if (r.outcome() != Outcome.WAITING) {
                throw FsException.of(Errno.ENOLCK, "lock service of home %s answered %s to a waiting lock",
                        t.home, r.outcome());
            }
        }
    }

    /** Withdraws an interrupted wait; a grant that crosses the withdrawal is given back at once. */
    private void withdraw(Target t, long ino, LockRequest req, CompletableFuture<LockReply> pending) {
        t.ref.tell(new LockProtocol.Cancel(ino, req.owner()));
        Stages.onComplete(pending, (r, error) -> {
            if (r != null && r.outcome() == Outcome.GRANTED) {
                log.debug("lock on inode {} granted as its wait was interrupted: given back", ino);
                if (req.kind() == LockRequest.Kind.FLOCK) {
                    t.ref.tell(new LockProtocol.Unflock(ino, req.owner(), system.ignoreRef()));
                } else {
                    t.ref.tell(new LockProtocol.Unlock(ino, req.owner(), req.start(), req.end(), system.ignoreRef()));
                }
            }
        });
    }

    private record Target(String home, ActorRef<LockProtocol> ref) {
    }

    private Target target(long ino) {
        Optional<String> home = homeOf.apply(ino);
        if (home.isEmpty() || home.get().equals(selfHome)) {
            return new Target(selfHome, local);
        }
        String h = home.get();
        ActorRef<LockProtocol> ref = known.get(h);
        long deadline = System.nanoTime() + LOOKUP_PATIENCE.toNanos();
        while (ref == null) {
            refresh();
            ref = known.get(h);
            if (ref == null && System.nanoTime() - deadline > 0) {
                throw FsException.of(Errno.ENOLCK, "no lock service of member %s (the home of inode %d) in the "
                        + "cluster: down or gone", h, ino);
            }
            if (ref == null) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
        return new Target(h, ref);
    }

    private void refresh() {
        Set<ActorRef<LockProtocol>> refs;
        try {
            refs = AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
                            reply -> Receptionist.find(LockServiceActor.KEY, reply), ASK, system.scheduler())
                    .toCompletableFuture().get(ASK.toMillis() + 1000, TimeUnit.MILLISECONDS)
                    .getServiceInstances(LockServiceActor.KEY);
        } catch (Exception e) {
            log.warn("cannot list the lock services: {}", e.toString());
            return;
        }
        for (ActorRef<LockProtocol> ref : refs) {
            if (known.containsValue(ref)) {
                continue;
            }
            try {
                LockProtocol.Identity id = AskPattern.<LockProtocol, LockProtocol.Identity>ask(ref,
                                LockProtocol.WhoAreYou::new, ASK, system.scheduler())
                        .toCompletableFuture().get(ASK.toMillis() + 1000, TimeUnit.MILLISECONDS);
                known.put(id.home(), id.service());
            } catch (Exception e) {
                log.info("lock service {} did not answer: {}", ref, e.toString());
            }
        }
    }

    private LockReply ask(Target t, Function<ActorRef<LockReply>, LockProtocol> msg) {
        try {
            return askAsync(t, msg, ASK).get(ASK.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unreachable(t, e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(t, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FsException.of(Errno.EINTR, "interrupted while asking the lock service of member %s", t.home);
        }
    }

    private CompletableFuture<LockReply> askAsync(Target t, Function<ActorRef<LockReply>, LockProtocol> msg,
                                                   Duration timeout) {
        return AskPattern.ask(t.ref, msg::apply, timeout, system.scheduler()).toCompletableFuture();
    }

    private FsException unreachable(Target t, Throwable cause) {
        known.remove(t.home, t.ref); // looked up again next time (a restarted member)
        return new FsException(Errno.ENOLCK, "the lock service of member " + t.home + " did not answer: "
                + cause, cause);
    }
}
