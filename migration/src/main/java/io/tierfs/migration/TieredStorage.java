package io.tierfs.migration;

import io.tierfs.common.config.TierFsConfig;
import io.tierfs.migration.live.AccessHeat;
import io.tierfs.migration.policy.DemotionPolicy;
import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.Policy;
import io.tierfs.migration.policy.LruOrder;
import io.tierfs.migration.policy.WatermarkPolicy;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.DataStore;
import io.tierfs.tier.MoverStatus;
import io.tierfs.tier.ReadSink;
import io.tierfs.tier.TierUsage;
import io.tierfs.tier.engine.TierEngine;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The data store as the node wires it: the tier engine (with its flusher) plus the down-migration mover with
 * the LRU watermark policy, behind the {@link DataStore} interface; with hooks for tests and operations
 * (force a demotion, run a mover round now, wait for the mover to be idle).
 */
public final class TieredStorage implements DataStore {
    /** Chunk copies the mover runs at once (2 cores: more would starve application I/O). */
    public static final int DEFAULT_MOVER_CONCURRENCY = 2;

    private final TierEngine engine;
    private final Mover mover;
    /** The policy-driven mover and its heat counter; null when the legacy watermark mover runs alone. */
    private final LiveMover live;
    private final AccessHeat heat;
    /** The live policy (placement rules for new files); null with the legacy mover alone. */
    private final Supplier<Policy> policy;
    private final Clock clock;

    public TieredStorage(TierEngine engine, DemotionPolicy policy, int moverConcurrency, Duration moverInterval,
                         FaultPoints faults) {
        this.engine = engine;
        this.mover = new Mover(engine, policy, moverConcurrency, moverInterval, faults);
        this.live = null;
        this.heat = null;
        this.policy = null;
        this.clock = null;
    }

    private TieredStorage(TierEngine engine, Supplier<Policy> policy, Clock clock, Duration moverInterval,
                          FaultPoints faults) {
        this.engine = engine;
        // the legacy mover stays for explicit demotions (demote, demoteAll); rounds are the live mover's
        this.mover = new Mover(engine, new WatermarkPolicy(new LruOrder(), clock), DEFAULT_MOVER_CONCURRENCY, null,
                faults);
        this.heat = new AccessHeat(clock, () -> policy.get().halfLifeMillis());
        this.live = new LiveMover(engine, policy, heat, clock, moverInterval, faults);
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * The engine with the policy-driven {@link LiveMover}: {@code policy} is read at every round (so a replaced
     * policy takes effect at the next one), accesses feed the heat, and promotions and pre-stages run.
     */
    public static TieredStorage openWithPolicy(TierFsConfig cfg, Clock clock, String nodeName,
                                               Supplier<Policy> policy, boolean backgroundMover) {
        return openWithPolicy(cfg, clock, nodeName, policy, backgroundMover, TierEngine::localSpace);
    }

    /** As above, with each tier's chunk space chosen by {@code spaces} (lent memory for a borrowing node's DRAM). */
    public static TieredStorage openWithPolicy(TierFsConfig cfg, Clock clock, String nodeName,
                                               Supplier<Policy> policy, boolean backgroundMover,
                                               java.util.function.Function<io.tierfs.common.config.TierSpec,
                                                       io.tierfs.tier.engine.ChunkSpace> spaces) {
        TierEngine engine = TierEngine.open(cfg, clock, nodeName, spaces);
        return new TieredStorage(engine, policy, clock, backgroundMover ? cfg.moverInterval() : null,
                FaultPoints.fromSystemProperties());
    }

    /** The access counters of {@code ino} (heat, accesses); empty if never accessed or no live mover. */
    public Optional<AccessHeat.Stat> heatOf(long ino) {
        return heat == null ? Optional.empty() : Optional.ofNullable(heat.get(ino));
    }

    /** The policy-driven mover; empty for the legacy watermark mover. */
    public Optional<LiveMover> liveMover() {
        return Optional.ofNullable(live);
    }

    /** The engine, flusher and background mover as {@code cfg} says; fault points from system properties. */
    public static TieredStorage open(TierFsConfig cfg, Clock clock, String nodeName) {
        return open(cfg, clock, nodeName, true);
    }

    /** As {@link #open(TierFsConfig, Clock, String)}; without {@code backgroundMover} only explicit rounds move. */
    public static TieredStorage open(TierFsConfig cfg, Clock clock, String nodeName, boolean backgroundMover) {
        TierEngine engine = TierEngine.open(cfg, clock, nodeName);
        return new TieredStorage(engine, new WatermarkPolicy(new LruOrder(), clock), DEFAULT_MOVER_CONCURRENCY,
                backgroundMover ? cfg.moverInterval() : null, FaultPoints.fromSystemProperties());
    }

    public TierEngine engine() {
        return engine;
    }

    /** Forces every chunk of {@code ino} above {@code targetTier} down to it; true if none is left above. */
    public boolean demote(long ino, String targetTier) {
        return mover.demote(ino, engine.tierIndex(targetTier));
    }

    /**
     * Moves every file one tier down (slowest tiers first, so nothing moves twice), through the crash-safe mover.
     * An operator's "drain the fast tiers", and the tests' way to force migrations under load.
     * Returns the number of files moved.
     */
    public int demoteAll() {
        int moved = 0;
        var tiers = engine.tiers();
        for (int t = tiers.size() - 2; t >= 0; t--) {
            for (var f : engine.filesOn(t)) {
                mover.demote(f.ino(), t + 1);
                moved++;
            }
        }
        return moved;
    }

    /** One mover round now (plans with the current usage); returns the chunk copies moved. */
    public int runMoverOnce() {
        if (live != null) {
            return live.runOnce().moves().size();
        }
        return mover.runOnce();
    }

    public boolean awaitIdle(Duration timeout) {
        long t0 = System.nanoTime();
        if (live != null && !live.awaitIdle(timeout)) {
            return false;
        }
        return mover.awaitIdle(timeout.minusNanos(System.nanoTime() - t0));
    }

    /** Tells {@code l} about every chunk copy of the mover (status page, metrics). */
    public void addMoveListener(MoveListener l) {
        mover.addListener(l);
        if (live != null) {
            live.addListener(l);
        }
    }

    @Override
    public int read(long ino, long offset, ByteBuffer dst) {
        if (heat != null) {
            heat.io(ino);
        }
        return engine.read(ino, offset, dst);
    }

    @Override
    public void read(long ino, long offset, int len, ReadSink sink) {
        if (heat != null) {
            heat.io(ino);
        }
        engine.read(ino, offset, len, sink);
    }

    @Override
    public void write(long ino, long offset, ByteBuffer src) {
        if (heat != null) {
            heat.io(ino);
        }
        engine.write(ino, offset, src);
    }

    @Override
    public long append(long ino, long knownEnd, ByteBuffer src) {
        if (heat != null) {
            heat.io(ino);
        }
        return engine.append(ino, knownEnd, src);
    }

    @Override
    public void truncate(long ino, long size) {
        engine.truncate(ino, size);
    }

    @Override
    public void fsync(long ino) {
        engine.fsync(ino);
    }

    @Override
    public void delete(long ino) {
        if (heat != null) {
            heat.forget(ino);
        }
        engine.delete(ino);
    }

    @Override
    public long dataEnd(long ino) {
        return engine.dataEnd(ino);
    }

    @Override
    public List<ChunkPlacement> where(long ino) {
        return engine.where(ino);
    }

    @Override
    public List<TierUsage> usage() {
        return engine.usage();
    }

    @Override
    public void accessed(long ino) {
        if (heat != null) {
            heat.opened(ino);
        }
    }

    @Override
    public void pathSeen(long ino, String path) {
        engine.pathSeen(ino, path);
    }

    @Override
    public java.util.Optional<String> pathHint(long ino) {
        return engine.pathHint(ino);
    }

    /**
     * Applies the policy's "tier for new data" of the first matching rule to a new file, and its "keep a replica
     * in lent DRAM".
     */
    @Override
    public void created(long ino, String path, int uid, int gid) {
        if (policy == null) {
            return;
        }
        long now = clock.millis();
        FileInfo f = FileInfo.of(ino, path, 0, 0).withOwner(uid, gid).withTimes(now, now);
        policy.get().placementFor(f, now).ifPresent(p -> engine.tiers().stream()
                .filter(t -> t.name().equals(p.tierName())).findFirst()
                .ifPresent(t -> engine.placeNewData(ino, t.index())));
        if (policy.get().dramReplicaFor(f, now).isPresent()) {
            engine.keepReplicas(ino);
        }
    }

    @Override
    public MoverStatus moverStatus() {
        MoverStatus m = mover.status();
        if (live == null) {
            return m;
        }
        MoverStatus l = live.status();
        return new MoverStatus(m.queued() + l.queued(), m.running() + l.running(), m.done() + l.done(),
                m.failed() + l.failed(), m.bytesDown() + l.bytesDown(), m.bytesUp() + l.bytesUp());
    }

    /** Stops the mover (letting running moves finish), then the engine (flusher stopped, layout committed). */
    @Override
    public void close() {
        if (live != null) {
            live.close();
        }
        mover.close();
        engine.close();
    }
}
