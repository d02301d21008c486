package io.tierfs.meta.entity;

import io.tierfs.common.fault.FaultPoints;
import io.tierfs.meta.state.DirEvent;
import io.tierfs.meta.state.DirSnapshot;
import io.tierfs.meta.state.DirState;
import io.tierfs.meta.state.RenameIntent;
import org.apache.pekko.actor.typed.ActorRef;
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
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The persistence shell of a directory (persistence id {@code dir-<ino>}). It decides nothing: its
 * {@link DirFront} decides commands against the live state and sends the resulting events as a {@link DirBatch};
 * this behavior persists each batch as one journal row ({@link DirEvent.Batch}), applies the events to its OWN {@link DirState}
 * copy in the event handler (so snapshots, taken in this actor's thread, are exactly the journal's state) and
 * tells the front {@link DirFront.Persisted} once the write is durable.
 * <p>
 * Recovery is plain Pekko: latest snapshot plus later events into its copy; then the front gets a deep copy
 * ({@link DirFront.Recovered}), and pending rename intents go to {@link Settings#redriver()} to be rolled
 * forward (the front also hands over intents that stay open longer than {@link Settings#intentTimeout()}). A failed write stops this actor (Pekko's rule); the front then fails what is pending and stops.
 */
public final class DirEntity extends EventSourcedBehavior<DirBatch, DirEvent, DirState> {
    private static final Logger LOG = LoggerFactory.getLogger(DirEntity.class);

    /**
     * @param snapshotEvery journal writes (group commits, 1 to maxBatch events each) between snapshots; {@code keepSnapshots} how many to keep
     * @param maxBatch      most events in one group commit (a command's events are never split)
     * @param maxEarly      most decided-but-unpersisted events of a directory before early replies wait for
     *                      durability (bounds memory and what a crash can take back)
     * @param earlyLinger   how long events that only early replies depend on may wait to join a bigger batch
     * @param redriver      gets (directory ino, intent) for each pending rename intent found at recovery, and
     *                      for each intent that stayed open longer than {@code intentTimeout}; must not block
     * @param intentTimeout how long a rename intent may stay open before its directory re-drives it itself
     */
    public record Settings(Clock clock, int snapshotEvery, int keepSnapshots, int maxBatch, int maxEarly,
                           Duration earlyLinger, BiConsumer<Long, RenameIntent> redriver, Duration intentTimeout) {
    }

    /**
     * Fault point: a batch holding a new rename intent is durable, the reply not yet sent (the source's node dies
     * right after the point of no return, before the coordinator hears of it).
     */
    public static final String PERSISTED_INTENT_ADDED = "dir.persisted.intent-added";

    private final long ino;
    private final Settings settings;
    private final ActorRef<DirMsg> front;

    public static Behavior<DirBatch> create(long ino, Settings settings, ActorRef<DirMsg> front) {
        return Behaviors.setup(ctx -> new DirEntity(ino, settings, front));
    }

    private DirEntity(long ino, Settings settings, ActorRef<DirMsg> front) {
        super(PersistenceId.ofUniqueId("dir-" + ino));
        this.ino = ino;
        this.settings = settings;
        this.front = front;
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
        long upTo = batch.upTo();
        List<DirEvent> events = batch.events();
        DirEvent row = events.size() == 1 ? events.get(0) : new DirEvent.Batch(events);
        return Effect().persist(row).thenRun(s -> {
            if (FaultPoints.armed()) {
                hitFaultPoints(events);
            }
            front.tell(new DirFront.Persisted(upTo));
        });
    }

    private static void hitFaultPoints(List<DirEvent> events) {
        for (DirEvent e : events) {
            if (e instanceof DirEvent.IntentAdded) {
                FaultPoints.hit(PERSISTED_INTENT_ADDED);
            }
        }
    }

    @Override
    public EventHandler<DirState, DirEvent> eventHandler() {
        return (state, event) -> {
            state.apply(event);
            return state;
        };
    }

    @Override
    public SignalHandler<DirState> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
            front.tell(new DirFront.Recovered(state.snapshot()));
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
}
