package io.tierfs.node.data;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The data-plane address of each member's file data service, found through the receptionist and cached; an address
 * that stopped answering is {@linkplain #forget forgotten} so that a restarted member (new port) is found again.
 * A member the receptionist does not list (yet: registrations take a moment to spread; or any more: it is down)
 * is looked for until {@code patience}, then the call fails with EIO naming the member; for the next
 * {@code patience} calls for that member fail at once (a dead home must not stall every read of the mount).
 */
public final class HomeAddresses implements RoutingDataStore.Peers {
    private static final Logger log = LoggerFactory.getLogger(HomeAddresses.class);
    private static final Duration ASK = Duration.ofSeconds(3);
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final ActorSystem<?> system;
    private final Duration patience;
    private final ConcurrentHashMap<String, InetSocketAddress> known = new ConcurrentHashMap<>();
    /** Members looked for in vain, with the System.nanoTime() until which they are not looked for again. */
    private final ConcurrentHashMap<String, Long> missing = new ConcurrentHashMap<>();

    public HomeAddresses(ActorSystem<?> system, Duration patience) {
        this.system = system;
        this.patience = patience;
    }

    /** Where {@code member} serves its files' data. */
    @Override
    public InetSocketAddress of(String member) {
        InetSocketAddress a = known.get(member);
        if (a != null) {
            return a;
        }
        Long missingUntil = missing.get(member);
        if (missingUntil != null && System.nanoTime() - missingUntil < 0) {
            throw notFound(member);
        }
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            refresh();
            a = known.get(member);
            if (a != null) {
                return a;
            }
            if (System.nanoTime() - deadline > 0) {
                missing.put(member, System.nanoTime() + patience.toNanos());
                throw notFound(member);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(PAUSE_NANOS); // bounded by the deadline above
            if (Thread.currentThread().isInterrupted()) {
                throw FsException.of(Errno.EIO, "interrupted while looking for member %s", member);
            }
        }
    }

    private FsException notFound(String member) {
        return FsException.of(Errno.EIO, "member %s serves no file data in the cluster (down, or gone; known: %s)",
                member, known.keySet());
    }

    /**
     * {@code member}'s address stopped answering (refused, lost, timed out): calls for it fail at once for a second
     * (the kernel retries a failed read at once; a dead home must not stall the mount), then it is looked up again.
     */
    @Override
    public void forget(String member) {
        known.remove(member);
        missing.put(member, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    }

    /** Asks every registered file data service where it listens. */
    private void refresh() {
        Set<ActorRef<FileServiceProtocol>> refs;
        try {
            refs = AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
                            reply -> Receptionist.find(FileServiceActor.KEY, reply), ASK, system.scheduler())
                    .toCompletableFuture().get(ASK.toMillis() + 1000, TimeUnit.MILLISECONDS)
                    .getServiceInstances(FileServiceActor.KEY);
        } catch (Exception e) {
            log.warn("cannot list the file data services: {}", e.toString());
            return;
        }
        for (ActorRef<FileServiceProtocol> ref : refs) {
            try {
                FileServiceProtocol.ServiceAddress s = AskPattern.<FileServiceProtocol, FileServiceProtocol.ServiceAddress>ask(
                                ref, FileServiceProtocol.WhereIs::new, ASK, system.scheduler())
                        .toCompletableFuture().get(ASK.toMillis() + 1000, TimeUnit.MILLISECONDS);
                known.put(s.member(), new InetSocketAddress(s.host(), s.port()));
                missing.remove(s.member());
            } catch (Exception e) {
                log.info("file data service {} did not answer: {}", ref, e.toString());
            }
        }
    }
}
