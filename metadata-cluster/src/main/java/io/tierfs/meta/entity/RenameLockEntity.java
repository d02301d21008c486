package io.tierfs.meta.entity;

import io.tierfs.meta.state.CborSerializable;
import io.tierfs.meta.state.RenameLease;
import io.tierfs.meta.state.RenameLease.LockAnswer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

import java.time.Clock;

/**
 * The cluster-wide lock that serializes directory renames across directories (one sharded entity, id "0"), so
 * that the "target is not inside the moved subtree" check and the parent-pointer change of one such rename never
 * interleave with another's: the cycle argument in {@code io.tierfs.meta.client.CrossDirRename}. Linux serializes
 * the same renames with one per-filesystem mutex (s_vfs_rename_mutex) for the same reason.
 * <p>
 * A lease, not a plain lock: the holder is a rename (its txid) with the source directory of its intent and an
 * expiry on this entity's clock, so the lock of a coordinator that died frees itself. Persistent, because the
 * lock must stay held while the holder's intent is pending, across a crash of the node that hosts this entity:
 * a re-drive of that intent (which acquires as the same txid) must find it still held, and no other rename may
 * get it in between. Every change is one journal write; the reply comes after it.
 */
public final class RenameLockEntity extends EventSourcedBehavior<RenameLockEntity.Command, RenameLease, RenameLease> {

    public sealed interface Command extends CborSerializable {
    }

    /**
     * Take (or renew) the lock for rename {@code txid} for {@code leaseMs}; {@code takeOver} (0: none) names an
     * expired holder the caller found not pending.
     */
    public record Acquire(long txid, long srcDir, long takeOver, long leaseMs, ActorRef<LockAnswer> replyTo)
            implements Command {
    }

    /** Free the lock if rename {@code txid} holds it (idempotent). Reply: whether it held it. */
    public record Release(long txid, ActorRef<Boolean> replyTo) implements Command {
    }

    private final Clock clock;

    public static Behavior<Command> create(String id, Clock clock) {
        return new RenameLockEntity(id, clock);
    }

    private RenameLockEntity(String id, Clock clock) {
        super(PersistenceId.ofUniqueId("rename-lock-" + id));
        this.clock = clock;
    }

    @Override
    public RenameLease emptyState() {
        return RenameLease.FREE;
    }

    @Override
    public CommandHandler<Command, RenameLease, RenameLease> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Acquire.class, (lease, cmd) -> {
                    long now = clock.millis();
                    if (!lease.grants(cmd.txid(), cmd.takeOver(), now)) {
                        return Effect().reply(cmd.replyTo(), lease.busy(now));
                    }
                    return Effect().persist(new RenameLease(cmd.txid(), cmd.srcDir(), now + cmd.leaseMs()))
                            .thenReply(cmd.replyTo(), s -> LockAnswer.GRANTED);
                })
                .onCommand(Release.class, (lease, cmd) -> lease.holder() != cmd.txid()
                        ? Effect().reply(cmd.replyTo(), false)
                        : Effect().persist(RenameLease.FREE).thenReply(cmd.replyTo(), s -> true))
                .build();
    }

    @Override
    public EventHandler<RenameLease, RenameLease> eventHandler() {
        return (state, event) -> event;
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(200, 2);
    }
}
