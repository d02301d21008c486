package io.tierfs.meta.entity;

import io.tierfs.meta.state.CborSerializable;
import io.tierfs.meta.state.InoRange;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

import java.util.ArrayList;
import java.util.List;

/**
 * The inode-number allocator: one persisted counter that reserves ranges (e.g. 4096 numbers) for clients, which
 * then hand numbers out locally. A range is persisted before it is given out, so no number is ever given twice,
 * even across crashes (a crash only wastes the rest of a range). Numbers below {@link #FIRST} are reserved.
 * <p>
 * Each reservation also records the member that made it: that member is the <em>data home</em> of every file
 * numbered from the range (its bytes live there). {@link HomeOf} answers which range (and member) holds a number;
 * ranges never change, so the answer can be cached forever. Events and snapshots written before members were
 * recorded carry none: their ranges are unknown, which callers treat as local data (as single-node data was).
 */
public final class AllocEntity extends EventSourcedBehavior<AllocEntity.Command, AllocEntity.Reserved, AllocEntity.Next> {
    public static final long FIRST = 1024;

    /** What the allocator is asked. */
    public sealed interface Command extends CborSerializable permits Reserve, HomeOf {
    }

    /** Reserve {@code count} numbers for {@code member} (null: unknown); the reply is the first one. */
    public record Reserve(int count, String member, ActorRef<Long> replyTo) implements Command {
    }

    /** Which range holds {@code ino}: the reply's member is null when unknown (never reserved with a member). */
    public record HomeOf(long ino, ActorRef<InoRange> replyTo) implements Command {
    }

    /**
     * The next free number after a reservation, and the reservation itself ({@code count} numbers before
     * {@code next}, for {@code member}); count 0 and member null in events persisted before members were recorded.
     */
    public record Reserved(long next, int count, String member) implements CborSerializable {
    }

    /** State: the next free number and the ranges reserved with a known member (ascending). */
    public record Next(long value, List<InoRange> ranges) implements CborSerializable {
        public Next {
            ranges = ranges == null ? List.of() : ranges; // a snapshot from before ranges were kept
        }

        Next reserved(Reserved e) {
            if (e.member() == null || e.count() <= 0) {
                return new Next(e.next(), ranges);
            }
            long start = e.next() - e.count();
            List<InoRange> more = new ArrayList<>(ranges.size() + 1);
            more.addAll(ranges);
            InoRange last = more.isEmpty() ? null : more.get(more.size() - 1);
            if (last != null && last.member().equals(e.member()) && last.start() + last.count() == start) {
                // the same member again with nobody in between: one longer range keeps state and snapshots small
                more.set(more.size() - 1, new InoRange(last.start(), last.count() + e.count(), e.member()));
            } else {
                more.add(new InoRange(start, e.count(), e.member()));
            }
            return new Next(e.next(), List.copyOf(more));
        }

        /** The range holding {@code ino}, or a one-number range with an unknown member. */
        public InoRange homeOf(long ino) {
            InoRange r = InoRange.find(ranges, ino);
            return r != null ? r : new InoRange(ino, 1, null);
        }
    }

    public static Behavior<Command> create(String id) {
        return new AllocEntity(id);
    }

    private AllocEntity(String id) {
        super(PersistenceId.ofUniqueId("ino-alloc-" + id));
    }

    @Override
    public Next emptyState() {
        return new Next(FIRST, List.of());
    }

    @Override
    public CommandHandler<Command, Reserved, Next> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Reserve.class, (state, cmd) ->
                        Effect().persist(new Reserved(state.value() + cmd.count(), cmd.count(), cmd.member()))
                                .thenReply(cmd.replyTo(), s -> state.value()))
                .onCommand(HomeOf.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.homeOf(cmd.ino())))
                .build();
    }

    @Override
    public EventHandler<Next, Reserved> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onEvent(Reserved.class, Next::reserved).build();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2);
    }
}
