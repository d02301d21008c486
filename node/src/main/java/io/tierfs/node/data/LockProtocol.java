package io.tierfs.node.data;

import io.tierfs.lock.HeldLock;
import io.tierfs.lock.LockOwner;
import io.tierfs.lock.LockRequest;
import io.tierfs.meta.state.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What members ask the lock service of a file's data home ({@link LockServiceActor}). The records crossing members
 * are {@link CborSerializable}; the others are the actor's own (timers, membership, stop) and stay local.
 */
public sealed interface LockProtocol {

    /** Take {@code request} on {@code ino}; when {@code waits}, answered GRANTED once granted, or WAITING after a park. */
    record Lock(long ino, LockRequest request, boolean waits, ActorRef<LockReply> replyTo)
            implements LockProtocol, CborSerializable {
    }

    /** F_GETLK: answered DENIED with the lock in the way, or GRANTED when there is none (nothing is taken). */
    record Test(long ino, LockRequest request, ActorRef<LockReply> replyTo) implements LockProtocol, CborSerializable {
    }

    /** F_UNLCK of a POSIX range; answered DONE. */
    record Unlock(long ino, LockOwner owner, long start, long end, ActorRef<LockReply> replyTo)
            implements LockProtocol, CborSerializable {
    }

    /** A close through {@code owner}: its POSIX locks and its waits on the file go; answered DONE. */
    record UnlockAll(long ino, LockOwner owner, ActorRef<LockReply> replyTo) implements LockProtocol, CborSerializable {
    }

    /** flock LOCK_UN; answered DONE. */
    record Unflock(long ino, LockOwner owner, ActorRef<LockReply> replyTo) implements LockProtocol, CborSerializable {
    }

    /** The waits of {@code owner} on {@code ino} are withdrawn (interrupted); not answered. */
    record Cancel(long ino, LockOwner owner) implements LockProtocol, CborSerializable {
    }

    /** Which data home do you serve? */
    record WhoAreYou(ActorRef<Identity> replyTo) implements LockProtocol, CborSerializable {
    }

    /** The answer to {@link WhoAreYou}. */
    record Identity(String home, ActorRef<LockProtocol> service) implements CborSerializable {
    }

    /** The answer to the requests above. */
    record LockReply(Outcome outcome, HeldLock conflict) implements CborSerializable {
        public enum Outcome { GRANTED, DENIED, WAITING, DONE }
    }

    /** A member left the cluster (its unique address): its locks and waits go. Local. */
    record MemberGone(String member) implements LockProtocol {
    }

    /** A waiting request has been parked long enough: tell the asker to ask again. Local. */
    record ParkExpired(LockServiceActor.Parked parked) implements LockProtocol {
    }

    /** Leave the receptionist and stop (the member stops). Local. */
    record Stop() implements LockProtocol {
    }
}
