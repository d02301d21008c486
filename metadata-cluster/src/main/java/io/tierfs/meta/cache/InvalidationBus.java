package io.tierfs.meta.cache;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import scala.concurrent.ExecutionContext;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The cluster-wide channel of {@link Invalidation}s: a Pekko pub-sub topic that every member joins. Directory
 * entities publish after each decided change; each member's listeners (the VFS caches of its mount) apply what
 * other clients changed. Only started on a member of a multi-node cluster: a single node's VFS sees every change
 * itself. Changes are sent in batches: the first change after a quiet moment starts a {@link #LINGER} window, and
 * everything published until it ends goes out as one {@link InvalidationBatch} (a change reaches the other
 * members within the linger plus the delivery latency; docs/consistency.md).
 */
public final class InvalidationBus {
    private static final Logger LOG = LoggerFactory.getLogger(InvalidationBus.class);
    static final String TOPIC = "tierfs-cache-invalidation-batches";
    /** How long changes are gathered before they are sent. */
    public static final Duration LINGER = Duration.ofMillis(2);
    /** Most changes in one message (a bigger window is sent as several). */
    static final int MAX_BATCH = 1000;

    private final ActorRef<Topic.Command<InvalidationBatch>> topic;
    private final String selfAddress;
    private final Scheduler scheduler;
    private final ExecutionContext executor;
    private final List<Consumer<Invalidation>> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Invalidation> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();

    private InvalidationBus(ActorRef<Topic.Command<InvalidationBatch>> topic, String selfAddress, Scheduler scheduler,
                            ExecutionContext executor) {
        this.topic = topic;
        this.selfAddress = selfAddress;
        this.scheduler = scheduler;
        this.executor = executor;
    }

    public static InvalidationBus start(ActorSystem<?> system) {
        ActorRef<Topic.Command<InvalidationBatch>> topic = system.systemActorOf(
                Topic.create(InvalidationBatch.class, TOPIC), "cache-invalidation-topic",
                org.apache.pekko.actor.typed.Props.empty());
        InvalidationBus bus = new InvalidationBus(topic, system.address().toString(), system.scheduler(),
                system.executionContext());
        ActorRef<InvalidationBatch> listener = system.systemActorOf(bus.listener(), "cache-invalidation-listener",
                org.apache.pekko.actor.typed.Props.empty());
        topic.tell(Topic.subscribe(listener));
        return bus;
    }

    private Behavior<InvalidationBatch> listener() {
        return Behaviors.receiveMessage(batch -> {
            for (Invalidation inv : batch.changes()) {
                if (inv.origin().equals(selfAddress)) {
                    continue;
                }
                for (Consumer<Invalidation> l : listeners) {
                    try {
                        l.accept(inv);
                    } catch (RuntimeException e) {
                        LOG.error("cache invalidation listener failed on {}", inv, e);
                    }
                }
            }
            return Behaviors.same();
        });
    }

    /**
     * Publishes the change of {@code dir} made by the client whose reply address is {@code clientAddress}
     * (an address without host is this member's own).
     */
    public void publish(long dir, List<Invalidation.Item> items, org.apache.pekko.actor.Address clientAddress) {
        if (items.isEmpty()) {
            return;
        }
        String origin = clientAddress.host().isEmpty() ? selfAddress : clientAddress.toString();
        pending.add(new Invalidation(origin, dir, items));
        if (flushScheduled.compareAndSet(false, true)) {
            try {
                scheduler.scheduleOnce(LINGER, this::flush, executor);
            } catch (IllegalStateException stopping) {
                // the member is shutting down: the other members' caches fall back on their TTL
                LOG.debug("member stopping: {} cache invalidations not sent", pending.size());
            }
        }
    }

    /** Sends what was published since the last flush; a change published meanwhile schedules the next one. */
    private void flush() {
        flushScheduled.set(false); // before draining: a change published after this point schedules its own flush
        List<Invalidation> batch = new ArrayList<>();
        for (Invalidation inv = pending.poll(); inv != null; inv = pending.poll()) {
            batch.add(inv);
            if (batch.size() == MAX_BATCH) {
                topic.tell(Topic.publish(new InvalidationBatch(List.copyOf(batch))));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            topic.tell(Topic.publish(new InvalidationBatch(List.copyOf(batch))));
        }
    }

    /** {@code l} gets every invalidation made by another member's client, on the listener actor's thread. */
    public void subscribe(Consumer<Invalidation> l) {
        listeners.add(l);
    }
}
