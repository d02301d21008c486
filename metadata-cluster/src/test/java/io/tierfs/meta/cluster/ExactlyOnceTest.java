package io.tierfs.meta.cluster;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Attr;
import io.tierfs.common.Caller;
import io.tierfs.common.Errno;
import io.tierfs.common.FileType;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Removal;
import io.tierfs.meta.client.ShardingGateway;
import io.tierfs.meta.entity.DirEnvelope;
import io.tierfs.meta.entity.DirReply;
import io.tierfs.meta.entity.RequestId;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.Replies;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once commands: the same envelope (same request id) delivered twice, as a client's retry after a lost
 * reply does, is applied once and gets the first answer; the answers survive a restart of the node from the same
 * state dir (journal replay, and snapshots with snapshot-every = 1), so their reply values survive CBOR.
 */
class ExactlyOnceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path stateDir;

    private MetadataNode start(int snapshotEvery) {
        return MetadataNode.start(stateDir, Clock.systemUTC(), Caller.ROOT,
                ConfigFactory.parseString("tierfs.meta.snapshot-every = " + snapshotEvery));
    }

    /** One delivery of {@code cmd} with request id {@code id} to directory {@code dir}, through sharding. */
    private static DirReply send(MetadataNode node, long dir, DirCommand cmd, RequestId id) throws Exception {
        return ClusterSharding.get(node.system()).entityRefFor(ShardingGateway.DIR_KEY, Long.toString(dir))
                .<DirReply>ask(r -> new DirEnvelope(cmd, r, false, id), WAIT)
                .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static int nlink(MetadataNode node, long dir, long ino) throws Exception {
        return ((Attr) send(node, dir, new DirCommand.GetAttr(ino), null).valueOrThrow()).nlink();
    }

    @ParameterizedTest(name = "snapshot-every = {0}")
    @ValueSource(ints = {1, 5000})
    void duplicatesApplyOnceAndTheirAnswersSurviveRestart(int snapshotEvery) throws Exception {
        RequestId create = new RequestId("client-create", 1);
        RequestId link = new RequestId("client-link", 1);
        RequestId rename = new RequestId("client-rename", 1);
        RequestId unlink = new RequestId("client-unlink", 1);
        long fileIno = 900_001;   // the client picks inode numbers; far above the allocator's first range
        DirCommand.CreateInode mk = new DirCommand.CreateInode("f", fileIno, FileType.REGULAR, 0644, 0, 0, null, true);
        DirCommand.AdjustLink up = new DirCommand.AdjustLink(fileIno, +1);
        long dir;
        long movedIno;
        DirCommand.RenameLocal mv;
        DirCommand.Unlink rm = new DirCommand.Unlink("h");
        DirReply created;
        DirReply linked;
        DirReply renamed;
        DirReply unlinked;
        try (MetadataNode node = start(snapshotEvery)) {
            Namespace ns = node.namespace();
            dir = ns.mkdir(InodeRef.ROOT_INO, "d", 0755, Caller.ROOT).ref().ino();

            created = send(node, dir, mk, create);
            assertInstanceOf(Replies.Entry.class, created.valueOrThrow());
            assertEquals(created, send(node, dir, mk, create), "a duplicate create gets the first answer, not EEXIST");
            DirCommand.CreateInode other = new DirCommand.CreateInode("f", fileIno + 1, FileType.REGULAR, 0644, 0, 0,
                    null, true);
            assertEquals(Errno.EEXIST, send(node, dir, other, null).errno(), "control: another create is refused");

            linked = send(node, dir, up, link);
            assertEquals(2, nlink(node, dir, fileIno));
            assertEquals(linked, send(node, dir, up, link));
            assertEquals(2, nlink(node, dir, fileIno), "AdjustLink +1 delivered twice counted once");

            movedIno = ns.create(dir, "g", 0644, Caller.ROOT, true).ref().ino();
            mv = new DirCommand.RenameLocal("g", movedIno, "h", 0);
            renamed = send(node, dir, mv, rename);
            assertEquals(renamed, send(node, dir, mv, rename), "a duplicate rename is not EAGAIN (g is gone)");
            assertEquals(Errno.EAGAIN, send(node, dir, mv, null).errno(), "control: decided again it would be");
            assertEquals(movedIno, ns.lookup(dir, "h").ref().ino());

            unlinked = send(node, dir, rm, unlink);
            assertTrue(((Replies.Unlinked) unlinked.valueOrThrow()).removal().lastLink());
            assertEquals(unlinked, send(node, dir, rm, unlink), "a duplicate unlink gets what it removed, not ENOENT");
            assertEquals(Errno.ENOENT, send(node, dir, rm, null).errno(), "control: decided again it would be");
            assertEquals(Errno.ENOENT, assertThrows(FsException.class, () -> ns.lookup(dir, "h")).errno());
        }
        try (MetadataNode node = start(snapshotEvery)) {
            Namespace ns = node.namespace();
            assertEquals(created, send(node, dir, mk, create), "the answer is in the journal / snapshot");
            assertEquals(linked, send(node, dir, up, link));
            assertEquals(2, nlink(node, dir, fileIno));
            assertEquals(renamed, send(node, dir, mv, rename));
            assertEquals(unlinked, send(node, dir, rm, unlink));
            assertEquals(1, ns.readdir(dir, null, 10).size(), "only f is left (g became h, h was unlinked)");
        }
    }

    @Test
    void olderRequestsAreRefusedAndRefusalsAreRepeated() throws Exception {
        try (MetadataNode node = MetadataNode.startEmbedded(stateDir, Clock.systemUTC())) {
            Namespace ns = node.namespace();
            long dir = ns.mkdir(InodeRef.ROOT_INO, "d", 0755, Caller.ROOT).ref().ino();
            DirCommand.CreateInode x = new DirCommand.CreateInode("x", 900_010, FileType.REGULAR, 0644, 0, 0, null,
                    true);
            send(node, dir, x, new RequestId("c", 5)).valueOrThrow();

            DirCommand.CreateInode late = new DirCommand.CreateInode("late", 900_011, FileType.REGULAR, 0644, 0, 0,
                    null, true);
            DirReply stale = send(node, dir, late, new RequestId("c", 4));
            assertEquals(Errno.EIO, stale.errno());
            assertTrue(stale.message().contains("superseded"), stale.message());
            assertEquals(Errno.ENOENT, assertThrows(FsException.class, () -> ns.lookup(dir, "late")).errno(),
                    "a stale request is not applied");

            // a refusal is answered again as it was, even after the state changed: the retry must not apply it
            DirCommand.CreateInode again = new DirCommand.CreateInode("x", 900_012, FileType.REGULAR, 0644, 0, 0,
                    null, true);
            RequestId refused = new RequestId("c", 6);
            assertEquals(Errno.EEXIST, send(node, dir, again, refused).errno());
            ns.unlink(dir, "x");
            assertEquals(Errno.EEXIST, send(node, dir, again, refused).errno());
            assertEquals(Errno.ENOENT, assertThrows(FsException.class, () -> ns.lookup(dir, "x")).errno());
            assertNull(send(node, dir, again, new RequestId("c", 7)).errno(), "a new request is decided");
        }
    }

    @Test
    void theGatewayNeverRetriesAPosixAnswer() {
        try (MetadataNode node = MetadataNode.startEmbedded(stateDir, Clock.systemUTC())) {
            Namespace ns = node.namespace();
            ShardingGateway gw = (ShardingGateway) node.clusterNamespace().gateway();
            long dir = ns.mkdir(InodeRef.ROOT_INO, "d", 0755, Caller.ROOT).ref().ino();
            ns.create(dir, "f", 0644, Caller.ROOT, true);
            long before = gw.retries();
            long t0 = System.nanoTime();
            assertEquals(Errno.EEXIST, assertThrows(FsException.class,
                    () -> ns.create(dir, "f", 0644, Caller.ROOT, true)).errno());
            assertEquals(Errno.ENOENT, assertThrows(FsException.class, () -> ns.unlink(dir, "nothing")).errno());
            assertEquals(before, gw.retries());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
            Removal r = ns.unlink(dir, "f");   // through the gateway: each call has its own request id
            assertTrue(r.lastLink());
        }
    }
}
