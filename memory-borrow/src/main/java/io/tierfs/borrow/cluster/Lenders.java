package io.tierfs.borrow.cluster;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finding the lenders of the cluster from any member (for {@code tierfs nodes}, {@code tierfs node reclaim}): a
 * receptionist lookup, then each lender's view. A node is named by its member id ({@link #memberId}); an operator
 * may also type the member's address ({@code 127.0.0.1:2552} or {@code pekko://tierfs@127.0.0.1:2552}).
 */
public final class Lenders {
    private Lenders() {
    }

    /** The id of a cluster member in memory-borrow: {@code host-port} (safe in file names and chunk keys). */
    public static String memberId(Address a) {
        return a.host().get() + "-" + a.port().get();
    }

    /** Normalizes what an operator typed to a member id. */
    public static String normalize(String typed) {
        String s = typed.trim();
        int at = s.indexOf('@');
        if (s.contains("://") && at > 0) {
            s = s.substring(at + 1);
        }
        int colon = s.lastIndexOf(':');
        if (colon > 0) {
            s = s.substring(0, colon) + "-" + s.substring(colon + 1);
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /** Every lender's view, by member id; lenders that do not answer in {@code timeout} are left out. */
    public static Map<String, LenderView> views(ActorSystem<?> system, Duration timeout) {
        Map<String, LenderView> out = new TreeMap<>();
        for (ActorRef<LenderCommand> ref : find(system, timeout)) {
            try {
                LenderView v = AskPattern.<LenderCommand, LenderView>ask(ref, LenderCommand.GetView::new, timeout,
                        system.scheduler()).toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
                out.put(v.node(), v);
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Lenders.class).info("lender {} did not answer: {}", ref, e.toString());
            }
        }
        return out;
    }

    /** The lender actor of member {@code node} (as typed by an operator); ENOENT if there is none. */
    public static ActorRef<LenderCommand> of(ActorSystem<?> system, String node, Duration timeout) {
        String id = normalize(node);
        List<String> known = new ArrayList<>();
        for (ActorRef<LenderCommand> ref : find(system, timeout)) {
            String refId = memberId(ref.path().address().hasGlobalScope() ? ref.path().address()
                    : org.apache.pekko.cluster.typed.Cluster.get(system).selfMember().address());
            if (refId.equals(id)) {
                return ref;
            }
            known.add(refId);
        }
        throw FsException.of(Errno.ENOENT, "no lender on node '%s' (lenders: %s)", node,
                known.isEmpty() ? "none" : String.join(", ", known));
    }

    private static Set<ActorRef<LenderCommand>> find(ActorSystem<?> system, Duration timeout) {
        CompletableFuture<Receptionist.Listing> f = AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
                system.receptionist(), reply -> Receptionist.find(LenderActor.KEY, reply), timeout,
                system.scheduler()).toCompletableFuture();
        try {
            return f.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS).getServiceInstances(LenderActor.KEY);
        } catch (Exception e) {
            throw FsException.of(Errno.EAGAIN, "cannot list the lenders: %s", e.toString());
        }
    }
}
