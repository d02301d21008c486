package io.tierfs.meta.entity;

import io.tierfs.meta.state.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The inode-number allocator: one persisted counter that reserves ranges (e.g. 4096 numbers) for clients, which
 * then hand numbers out locally. A range is persisted before it is given out, so no number is ever given twice,
 * even across crashes (a crash only wastes the rest of a range). Numbers below {@link #FIRST} are reserved.
 */
public final class AllocEntity extends EventSourcedBehavior<AllocEntity.Reserve, AllocEntity.Reserved, AllocEntity.Next> {
    public static final long FIRST = 1024;

    /** Reserve {@code count} numbers; the reply is the first one. */
    public record Reserve(int count, ActorRef<Long> replyTo) implements CborSerializable {
    }

    /** The next free number after a reservation. */
    public record Reserved(long next) implements CborSerializable {
    }

    /** State: the next free number. */
    public record Next(long value) implements CborSerializable {
    }

    public static Behavior<Reserve> create(String id) {
        return new AllocEntity(id);
    }

    private AllocEntity(String id) {
        super(PersistenceId.ofUniqueId("ino-alloc-" + id));
    }

    @Override
    public Next emptyState() {
        return new Next(FIRST);
    }

    @Override
    public CommandHandler<Reserve, Reserved, Next> commandHandler() {
        return newCommandHandlerBuilder().forAnyState().onCommand(Reserve.class, (state, cmd) ->
                Effect().persist(new Reserved(state.value() + cmd.count()))
                        .thenReply(cmd.replyTo(), s -> state.value())).build();
    }

    @Override
    public EventHandler<Next, Reserved> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onEvent(Reserved.class, (s, e) -> new Next(e.next())).build();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2);
    }
}
