package io.tierfs.borrow.cluster;

import io.tierfs.borrow.evacuate.EvacuationResult;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

import java.util.List;

/** What a borrower is told: by lenders (grants, recalls), by the receptionist and by its own evacuations. */
public sealed interface BorrowerCommand {

    /** {@code lender} lends us {@code bytes} under lease {@code leaseId}; its data plane listens at host:port. */
    record LeaseGranted(String lender, ActorRef<LenderCommand> lenderRef, String host, int port, long leaseId,
                        long bytes) implements BorrowerCommand, BorrowMessage {
    }

    /** {@code lender} lends nothing now, and why. */
    record LeaseRefused(String lender, String reason) implements BorrowerCommand, BorrowMessage {
    }

    /** {@code lender} wants lease {@code leaseId} back by {@code deadlineEpochMillis}. */
    record Recall(String lender, long leaseId, long deadlineEpochMillis, String reason)
            implements BorrowerCommand, BorrowMessage {
    }

    /** The set of lenders in the cluster changed. */
    record LendersChanged(Receptionist.Listing listing) implements BorrowerCommand {
    }

    /** An evacuation of {@code lender} ended. */
    record Evacuated(String lender, List<Long> leaseIds, EvacuationResult result) implements BorrowerCommand {
    }

    /** Timer: ask for leases while below the wanted size, report usage to lenders, retry stuck recalls. */
    enum Tick implements BorrowerCommand {
        INSTANCE
    }
}
