package io.tierfs.meta.placement;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Caller;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.Await;
import io.tierfs.meta.cluster.MetadataNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directory shards on a real 3-member cluster (ActorSystems on 127.0.0.1, one H2 journal): a directory lives on
 * the member whose client made it, and a member that joins later gets shards from the others by rebalancing.
 */
class LocalFirstPlacementTest {
    private static final Duration UP = Duration.ofSeconds(60);
    private static final int PER_NODE = 12;

    @TempDir
    Path state;
    private final List<MetadataNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }

    private MetadataNode start() {
        Config c = nodes.isEmpty() ? ConfigFactory.empty() : ConfigFactory.parseString(
                "pekko.cluster.seed-nodes = [\"" + nodes.get(0).system().address() + "\"]");
        MetadataNode n = MetadataNode.start(state, Clock.systemUTC(), Caller.ROOT, c);
        nodes.add(n);
        int want = nodes.size();
        for (MetadataNode m : nodes) {
            Await.until(UP, want + " members up", () -> up(m) == want);
        }
        return n;
    }

    private static long up(MetadataNode n) {
        var members = Cluster.get(n.system()).state().getMembers();
        long count = 0;
        for (var m : members) {
            if (m.status() == MemberStatus.up()) {
                count++;
            }
        }
        return count;
    }

    @Test
    void aDirectoryLivesOnTheMemberWhoseClientMadeIt() {
        for (int i = 0; i < 3; i++) {
            start();
        }
        long[][] made = new long[3][PER_NODE];
        for (int d = 0; d < PER_NODE; d++) {
            for (int n = 0; n < 3; n++) {
                made[n][d] = nodes.get(n).namespace().mkdir(InodeRef.ROOT_INO, "n" + n + "-" + d, 0755, Caller.ROOT)
                        .ref().ino();
            }
        }
        for (int n = 0; n < 3; n++) {
            MetadataNode node = nodes.get(n);
            long[] mine = made[n];
            // a directory whose hash shard already held another member's directory lives there: rare (tens of
            // directories in 1,000 shards), so all but a few are local
            Await.until(Duration.ofSeconds(10), "member " + n + " hosts the directories its client made",
                    () -> hosted(node, mine) >= PER_NODE - 3);
        }
    }

    @Test
    void aMemberThatJoinsLaterGetsShardsByRebalancing() {
        MetadataNode a = start();
        start();
        List<Long> dirs = new ArrayList<>();
        for (int d = 0; d < 40; d++) {
            dirs.add(a.namespace().mkdir(InodeRef.ROOT_INO, "d" + d, 0755, Caller.ROOT).ref().ino());
        }
        assertTrue(a.localDirs().size() >= 20, "made on a, most live on a: " + a.localDirs().size());
        MetadataNode late = start();
        // a rebalance round (every 10 s) stops a few shards of the busiest member; the next use starts them on the
        // newcomer
        Await.until(Duration.ofSeconds(60), "the member that joined later hosts directories", () -> {
            for (long d : dirs) {
                a.namespace().getattr(new InodeRef(d, d));
            }
            return late.localDirs().size() > 0;
        });
    }

    private static int hosted(MetadataNode node, long[] dirs) {
        int n = 0;
        for (long d : dirs) {
            if (node.localDirs().peek(d) != null) {
                n++;
            }
        }
        return n;
    }
}
