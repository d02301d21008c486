package io.tierfs.meta.cache;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The cluster-wide channel of {@link Invalidation}s: a Pekko pub-sub topic that every member joins. Directory
 * entities publish after each decided change; each member's listeners (the VFS caches of its mount) apply what
 * other clients changed. Only started on a member of a multi-node cluster: a single node's VFS sees every change
 * itself.
 */
public final class InvalidationBus {
    private static final Logger LOG = LoggerFactory.getLogger(InvalidationBus.class);
    static final String TOPIC = "tierfs-cache-invalidations";

    private final ActorRef<Topic.Command<Invalidation>> topic;
    private final String selfAddress;
    private final List<Consumer<Invalidation>> listeners = new CopyOnWriteArrayList<>();

    private InvalidationBus(ActorRef<Topic.Command<Invalidation>> topic, String selfAddress) {
        this.topic = topic;
        this.selfAddress = selfAddress;
    }

    public static InvalidationBus start(ActorSystem<?> system) {
        ActorRef<Topic.Command<Invalidation>> topic = system.systemActorOf(Topic.create(Invalidation.class, TOPIC),
                "cache-invalidation-topic", org.apache.pekko.actor.typed.Props.empty());
        InvalidationBus bus = new InvalidationBus(topic, system.address().toString());
        ActorRef<Invalidation> listener = system.systemActorOf(bus.listener(), "cache-invalidation-listener",
                org.apache.pekko.actor.typed.Props.empty());
        topic.tell(Topic.subscribe(listener));
        return bus;
    }

    private Behavior<Invalidation> listener() {
        return Behaviors.receiveMessage(inv -> {
            if (!inv.origin().equals(selfAddress)) {
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
        topic.tell(Topic.publish(new Invalidation(origin, dir, items)));
    }

    /** {@code l} gets every invalidation made by another member's client, on the listener actor's thread. */
    public void subscribe(Consumer<Invalidation> l) {
        listeners.add(l);
    }
}
