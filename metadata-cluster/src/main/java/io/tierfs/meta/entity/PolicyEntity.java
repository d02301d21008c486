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
 * The cluster's migration policy: one event-sourced entity in the metadata journal, so the policy lives where the
 * namespace lives (the shared journal database of a cluster) rather than on one node's disk. It stores the policy
 * history as an opaque JSON document (the node's policy module owns its format and validation); a save is
 * acknowledged once its event is in the journal.
 */
public final class PolicyEntity extends EventSourcedBehavior<PolicyEntity.Command, PolicyEntity.Saved,
        PolicyEntity.Stored> {

    /** What the entity answers: the stored history, or null before the first save. */
    public record Stored(String historyJson, long saves) implements CborSerializable {
    }

    public sealed interface Command extends CborSerializable {
    }

    public record Load(ActorRef<Stored> replyTo) implements Command {
    }

    public record Save(String historyJson, ActorRef<Stored> replyTo) implements Command {
    }

    /** Event: a new history was saved. */
    public record Saved(String historyJson) implements CborSerializable {
    }

    public static Behavior<Command> create(String id) {
        return new PolicyEntity(id);
    }

    private PolicyEntity(String id) {
        super(PersistenceId.ofUniqueId("policy-" + id));
    }

    @Override
    public Stored emptyState() {
        return new Stored(null, 0);
    }

    @Override
    public CommandHandler<Command, Saved, Stored> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Load.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
                .onCommand(Save.class, (state, cmd) -> Effect().persist(new Saved(cmd.historyJson()))
                        .thenReply(cmd.replyTo(), s -> s))
                .build();
    }

    @Override
    public EventHandler<Stored, Saved> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Saved.class, (s, e) -> new Stored(e.historyJson(), s.saves() + 1)).build();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(20, 2);
    }
}
