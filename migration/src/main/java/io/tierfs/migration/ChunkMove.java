package io.tierfs.migration;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.tier.engine.MoveTicket;
import io.tierfs.tier.engine.SwitchedMove;
import io.tierfs.tier.engine.TierEngine;

import java.util.Optional;

/**
 * One crash-safe move of one chunk copy, down or up (a promotion): persist the intent (and reserve the target), copy, verify CRC32C,
 * switch the layout in one durable commit that drops the intent, then free the source. A write to the chunk
 * during the copy makes the switch refuse; the move is then retried from the start a few times.
 */
final class ChunkMove {
    enum Outcome { MOVED, SKIPPED, RACED }

    record Result(Outcome outcome, long bytes) {
    }

    static final int ATTEMPTS = 4;

    private ChunkMove() {
    }

    static Result run(TierEngine engine, long ino, int index, int fromTier, int toTier, FaultPoints faults) {
        return run(engine, ino, index, fromTier, toTier, faults, () -> { });
    }

    /** As above; {@code verified} runs once the copy checked out, before the layout switch. */
    static Result run(TierEngine engine, long ino, int index, int fromTier, int toTier, FaultPoints faults,
                      Runnable verified) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<MoveTicket> begun = engine.beginMove(ino, index, fromTier, toTier);
            if (begun.isEmpty()) {
                return new Result(Outcome.SKIPPED, 0);
            }
            MoveTicket t = begun.get();
            faults.hit("after-intent");
            try {
                engine.copyForMove(t);
            } catch (FsException e) {
                engine.abortMove(t);
                if (e.errno() == Errno.EAGAIN) {
                    continue;
                }
                throw e;
            } catch (RuntimeException e) {
                engine.abortMove(t);
                throw e;
            }
            faults.hit("after-copy");
            verified.run();
            Optional<SwitchedMove> switched = engine.switchMove(t);
            if (switched.isEmpty()) {
                continue;
            }
            faults.hit("after-switch");
            engine.freeSources(switched.get());
            return new Result(Outcome.MOVED, t.length());
        }
        return new Result(Outcome.RACED, 0);
    }
}
