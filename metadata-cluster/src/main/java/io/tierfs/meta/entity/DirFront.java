package io.tierfs.meta.entity;

import io.tierfs.common.Errno;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

import java.util.ArrayList;
import java.util.List;

/**
 * The sharded directory entity as seen by Cluster Sharding: a small front that owns the event-sourced
 * {@link DirEntity} as its child and implements group commit. Pekko persists one command at a time per entity;
 * the front instead keeps one batch in flight and collects every command that arrives meanwhile into the next
 * batch, so N concurrent creates in one directory cost about one journal write instead of N.
 * If the child stops (journal failure), the queued commands fail with EIO and the front stops; the next message
 * starts a fresh entity that recovers from the journal.
 */
public final class DirFront extends AbstractBehavior<DirMsg> {

    /** The child finished persisting (or answering) a batch. */
    public record BatchDone() implements DirMsg {
    }

    /** The child stopped. */
    public record ChildStopped() implements DirMsg {
    }

    private final ActorRef<DirBatch> child;
    private final int maxBatch;
    private boolean busy;
    private List<DirEnvelope> queue = new ArrayList<>();

    public static Behavior<DirMsg> create(long ino, DirEntity.Settings settings) {
        return Behaviors.setup(ctx -> new DirFront(ctx, ino, settings));
    }

    private DirFront(ActorContext<DirMsg> ctx, long ino, DirEntity.Settings settings) {
        super(ctx);
        this.maxBatch = settings.maxBatch();
        this.child = ctx.spawn(DirEntity.create(ino, settings), "journal");
        ctx.watchWith(child, new ChildStopped());
    }

    @Override
    public Receive<DirMsg> createReceive() {
        return newReceiveBuilder()
                .onMessage(DirEnvelope.class, this::onCommand)
                .onMessage(BatchDone.class, m -> onDone())
                .onMessage(ChildStopped.class, m -> onChildStopped())
                .build();
    }

    private Behavior<DirMsg> onCommand(DirEnvelope env) {
        queue.add(env);
        if (!busy) {
            flush();
        }
        return this;
    }

    private Behavior<DirMsg> onDone() {
        busy = false;
        if (!queue.isEmpty()) {
            flush();
        }
        return this;
    }

    private void flush() {
        List<DirEnvelope> batch;
        if (queue.size() <= maxBatch) {
            batch = queue;
            queue = new ArrayList<>();
        } else {
            batch = new ArrayList<>(queue.subList(0, maxBatch));
            queue = new ArrayList<>(queue.subList(maxBatch, queue.size()));
        }
        busy = true;
        child.tell(new DirBatch(batch, getContext().getSelf()));
    }

    private Behavior<DirMsg> onChildStopped() {
        getContext().getLog().warn("journal of {} stopped; failing {} queued commands", getContext().getSelf().path().name(), queue.size());
        for (DirEnvelope env : queue) {
            env.replyTo().tell(DirReply.failed(Errno.EIO, "directory entity failed"));
        }
        return Behaviors.stopped();
    }
}
