package io.tierfs.meta.entity;

import io.tierfs.meta.state.CborSerializable;

/** Messages to the sharded directory entity ({@link DirFront}). */
public sealed interface DirMsg extends CborSerializable permits DirEnvelope, DirFront.Barrier, DirFront.Passivate,
        DirFront.Recovered, DirFront.Persisted, DirFront.ChildStopped, DirFront.Linger,
        DirFront.DrainCheck, DirFront.Drained, DirFront.Kick, DirFront.InlineFailed, DirFront.IdleTick, DirFront.IntentTick {
}
