package io.tierfs.node.data;

import io.tierfs.lock.LockTable;
import io.tierfs.node.data.LockProtocol.LockReply;
import io.tierfs.node.data.LockProtocol.LockReply.Outcome;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * The advisory locks (fcntl record locks and flock) of the files homed on this member, for every member's mount:
 * locks live where the file's data is served, so one place decides and a lock dies with its file's data service.
 * Registered with the receptionist under {@link #KEY}. A waiting request is parked at most {@link #PARK}, then
 * answered WAITING (it keeps its place in the queue) so that the asker asks again: a home that died thus shows
 * as an ask that times out, instead of a wait that never ends. When the cluster removes a member (left, or crashed
 * and downed), every lock and wait of its processes is released and the waiters it blocked are granted.
 */
public final class LockServiceActor {
    private static final Logger log = LoggerFactory.getLogger(LockServiceActor.class);
    public static final ServiceKey<LockProtocol> KEY = ServiceKey.create(LockProtocol.class, "tierfs-locks");
    /** How long a waiting request is held before the asker is told to ask again. */
    public static final Duration PARK = Duration.ofSeconds(5);

    private LockServiceActor() {
    }

    /** The answer handle of a waiting ask; cleared once answered. Local to this actor. */
    public static final class Parked {
        private ActorRef<LockReply> replyTo;

        Parked(ActorRef<LockReply> replyTo) {
            this.replyTo = replyTo;
        }

        void answer(LockReply r) {
            if (replyTo != null) {
                replyTo.tell(r);
                replyTo = null;
            }
        }
    }

    /** How locks name a member: its unique cluster address (a restarted member is another one). */
    public static String memberKey(UniqueAddress a) {
        return a.address().toString() + "#" + a.longUid();
    }

    public static Behavior<LockProtocol> create(String home) {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
                    ctx.messageAdapter(ClusterEvent.MemberRemoved.class,
                            e -> new LockProtocol.MemberGone(memberKey(e.member().uniqueAddress()))),
                    ClusterEvent.MemberRemoved.class));
            LockTable<Parked> table = new LockTable<>();
            return Behaviors.receiveMessage(m -> {
                handle(ctx, home, table, m);
                return m instanceof LockProtocol.Stop ? Behaviors.stopped() : Behaviors.same();
            });
        });
    }

    private static void handle(ActorContext<LockProtocol> ctx, String home, LockTable<Parked> table, LockProtocol m) {
        if (m instanceof LockProtocol.Lock l) {
            Parked p = new Parked(l.replyTo());
            LockTable.Result<Parked> r = table.lock(l.ino(), l.request(), l.waits(), p);
            switch (r.status()) {
                case GRANTED -> p.answer(new LockReply(Outcome.GRANTED, null));
                case DENIED -> p.answer(new LockReply(Outcome.DENIED, r.conflict()));
                case QUEUED -> {
                    ctx.scheduleOnce(PARK, ctx.getSelf(), new LockProtocol.ParkExpired(p));
                }
            }
            grant(r.granted());
        } else if (m instanceof LockProtocol.Test t) {
            t.replyTo().tell(table.test(t.ino(), t.request())
                    .map(c -> new LockReply(Outcome.DENIED, c)).orElse(new LockReply(Outcome.GRANTED, null)));
        } else if (m instanceof LockProtocol.Unlock u) {
            grant(table.unlock(u.ino(), u.owner(), u.start(), u.end()));
            u.replyTo().tell(new LockReply(Outcome.DONE, null));
        } else if (m instanceof LockProtocol.UnlockAll u) {
            grant(table.unlockAll(u.ino(), u.owner()));
            u.replyTo().tell(new LockReply(Outcome.DONE, null));
        } else if (m instanceof LockProtocol.Unflock u) {
            grant(table.unlockFlock(u.ino(), u.owner()));
            u.replyTo().tell(new LockReply(Outcome.DONE, null));
        } else if (m instanceof LockProtocol.Cancel c) {
            int n = table.cancel(c.ino(), c.owner());
            log.debug("lock waits of {} on inode {} withdrawn: {}", c.owner(), c.ino(), n);
        } else if (m instanceof LockProtocol.ParkExpired e) {
            e.parked().answer(new LockReply(Outcome.WAITING, null));
        } else if (m instanceof LockProtocol.MemberGone g) {
            int n = table.countOf(g.member());
            List<LockTable.Grant<Parked>> granted = table.releaseMember(g.member());
            log.info("member {} left the cluster: released its {} locks and waits on files of home {}, granting {} "
                    + "waiting requests", g.member(), n, home, granted.size());
            grant(granted);
        } else if (m instanceof LockProtocol.WhoAreYou w) {
            w.replyTo().tell(new LockProtocol.Identity(home, ctx.getSelf()));
        } else if (m instanceof LockProtocol.Stop) {
            log.info("lock service of home {} stops ({} files with locks)", home, table.fileCount());
        }
    }

    private static void grant(List<LockTable.Grant<Parked>> granted) {
        for (LockTable.Grant<Parked> g : granted) {
            g.handle().answer(new LockReply(Outcome.GRANTED, null)); // parked: the asker's next ask is granted
        }
    }
}
