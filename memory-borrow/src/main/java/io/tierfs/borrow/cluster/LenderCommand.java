package io.tierfs.borrow.cluster;

import io.tierfs.borrow.lender.ReleaseStats;
import org.apache.pekko.actor.typed.ActorRef;

import java.time.Duration;

/** What a lender is told: by borrowers (leases), by operators (reclaim) and by its own timers. */
public sealed interface LenderCommand {

    /** A borrower asks for {@code wantBytes} more of this lender's memory. */
    record RequestLease(String borrower, long wantBytes, ActorRef<BorrowerCommand> replyTo)
            implements LenderCommand, BorrowMessage {
    }

    /** A borrower gives a lease back (emptied after a recall, or no longer needed). */
    record ReleaseLease(String borrower, long leaseId, ReleaseStats stats) implements LenderCommand, BorrowMessage {
    }

    /** A borrower could not empty a recalled lease (nowhere to put dirty data): it keeps it, nothing is lost. */
    record RecallStuck(String borrower, long leaseId, String problem, long remainingBytes)
            implements LenderCommand, BorrowMessage {
    }

    /** A borrower's use of this lender: bytes stored here and how many of them are dirty (not yet durable). */
    record Usage(String borrower, long usedBytes, long dirtyBytes) implements LenderCommand, BorrowMessage {
    }

    /** An operator (or a Slurm prolog) wants this node's memory back within {@code deadline}. */
    record Reclaim(Duration deadline, ActorRef<ReclaimResult> replyTo) implements LenderCommand, BorrowMessage {
    }

    /** An operator lets this node lend again after a reclaim. */
    record Reopen(ActorRef<LenderView> replyTo) implements LenderCommand, BorrowMessage {
    }

    /** This node is leaving the cluster: recall everything within {@code deadline}. */
    record Leave(Duration deadline, ActorRef<ReclaimResult> replyTo) implements LenderCommand {
    }

    /** Status for {@code tierfs nodes}. */
    record GetView(ActorRef<LenderView> replyTo) implements LenderCommand, BorrowMessage {
    }

    /** Timer: read the memory source, adjust the offer, recall if under pressure. */
    enum Tick implements LenderCommand {
        INSTANCE
    }

    /** Timer: a reclaim's deadline (plus grace) has passed. */
    record ReclaimDue(long reclaimId) implements LenderCommand {
    }

    /** A borrower's actor stopped (its node crashed or left). */
    record BorrowerGone(String borrower) implements LenderCommand {
    }
}
