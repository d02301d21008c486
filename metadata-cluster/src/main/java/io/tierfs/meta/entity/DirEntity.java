package io.tierfs.meta.entity;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.meta.state.Decision;
import io.tierfs.meta.state.DirEvent;
import io.tierfs.meta.state.DirLogic;
import io.tierfs.meta.state.DirSnapshot;
import io.tierfs.meta.state.DirState;
import io.tierfs.meta.state.RenameIntent;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A directory as an event-sourced behavior (persistence id {@code dir-<ino>}): a thin shell over the pure
 * {@link DirLogic} and {@link DirState}. One {@link DirBatch} is decided command by command against the live state
 * (each command sees the effects of the previous ones), then all events are persisted in one atomic write and the
 * replies go out once the write is durable.
 * <p>
 * Because the state is mutable and already updated while deciding, the event handler skips the events this
 * incarnation has just applied ({@code preApplied}) and applies all others (recovery). A failed write stops the
 * actor, so the pre-applied state never outlives a failure: the next incarnation recovers from the journal.
 * Snapshots are immutable {@link DirSnapshot} copies taken in the actor's thread. After recovery, pending
 * directory-rename intents are handed to {@link Settings#redriver()} to be rolled forward.
 */
public final class DirEntity extends EventSourcedBehavior<DirBatch, DirEvent, DirState> {
    private static final Logger LOG = LoggerFactory.getLogger(DirEntity.class);

    /**
     * @param snapshotEvery events between snapshots; {@code keepSnapshots} how many to keep
     * @param maxBatch      most commands in one group commit
     * @param redriver      gets (directory ino, intent) for each pending rename intent found at recovery
     */
    public record Settings(Clock clock, int snapshotEvery, int keepSnapshots, int maxBatch,
                           BiConsumer<Long, RenameIntent> redriver) {
    }

    private final long ino;
    private final Settings settings;
    private int preApplied;

    public static Behavior<DirBatch> create(long ino, Settings settings) {
        return Behaviors.setup(ctx -> new DirEntity(ino, settings));
    }

    private DirEntity(long ino, Settings settings) {
        super(PersistenceId.ofUniqueId("dir-" + ino));
        this.ino = ino;
        this.settings = settings;
    }

    @Override
    public DirState emptyState() {
        return new DirState(ino);
    }

    @Override
    public CommandHandler<DirBatch, DirEvent, DirState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState().onCommand(DirBatch.class, this::onBatch).build();
    }

    private Effect<DirEvent, DirState> onBatch(DirState state, DirBatch batch) {
        long now = nowNs();
        List<DirEvent> events = new ArrayList<>();
        List<DirReply> replies = new ArrayList<>(batch.items().size());
        for (DirEnvelope env : batch.items()) {
            try {
                Decision d = DirLogic.decide(state, env.cmd(), now);
                for (DirEvent e : d.events()) {
                    state.apply(e);
                    events.add(e);
                }
                replies.add(DirReply.ok(d.reply()));
            } catch (FsException e) {
                replies.add(DirReply.failed(e.errno(), e.getMessage()));
            } catch (RuntimeException e) {
                LOG.error("directory {}: command {} failed", ino, env.cmd(), e);
                replies.add(DirReply.failed(Errno.EIO, String.valueOf(e)));
            }
        }
        Runnable answer = () -> {
            for (int i = 0; i < replies.size(); i++) {
                batch.items().get(i).replyTo().tell(replies.get(i));
            }
            batch.front().tell(new DirFront.BatchDone());
        };
        if (events.isEmpty()) {
            return Effect().none().thenRun(s -> answer.run());
        }
        preApplied += events.size();
        return Effect().persist(events).thenRun(s -> answer.run());
    }

    @Override
    public EventHandler<DirState, DirEvent> eventHandler() {
        return (state, event) -> {
            if (preApplied > 0) {
                preApplied--;
            } else {
                state.apply(event);
            }
            return state;
        };
    }

    @Override
    public SignalHandler<DirState> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
            for (RenameIntent intent : state.pendingIntents()) {
                LOG.info("directory {}: re-driving pending rename intent {}", ino, intent);
                settings.redriver().accept(ino, intent);
            }
        }).build();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
    }

    @Override
    public SnapshotAdapter<DirState> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(DirState state) {
                return state.snapshot();
            }

            @Override
            public DirState fromJournal(Object from) {
                return DirState.fromSnapshot((DirSnapshot) from);
            }
        };
    }

    private long nowNs() {
        Instant now = settings.clock().instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
