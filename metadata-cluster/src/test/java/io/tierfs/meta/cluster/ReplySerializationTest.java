package io.tierfs.meta.cluster;

import io.tierfs.common.Attr;
import io.tierfs.common.DirEntry;
import io.tierfs.common.FileType;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Removal;
import io.tierfs.meta.entity.DirReply;
import io.tierfs.meta.state.Dentry;
import io.tierfs.meta.state.DirEvent;
import io.tierfs.meta.state.RenameIntent;
import io.tierfs.meta.state.Replies;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every kind of reply value survives the node's CBOR serialization, as a remote reply ({@link DirReply}) and as a
 * recorded answer in the journal ({@link DirEvent.Answered}): the value is typed by class name, so the exact class
 * (Long, not Integer; an immutable JDK list) must come back.
 */
class ReplySerializationTest {
    @TempDir
    static Path stateDir;
    private static MetadataNode node;

    @BeforeAll
    static void start() {
        node = MetadataNode.startEmbedded(stateDir, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static Object roundTrip(Object o) {
        Serialization s = SerializationExtension.get(Adapter.toClassic(node.system()));
        byte[] bytes = s.serialize(o).get();
        var serializer = s.findSerializerFor(o);
        return s.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, o)).get();
    }

    @Test
    void everyReplyValueSurvives() {
        Attr attr = new Attr(5000, FileType.REGULAR, 0644, 1, 7, 8, 42, 1, 2, 3);
        Dentry d = new Dentry(5000, FileType.REGULAR, 100);
        List<Object> values = new ArrayList<>(List.of(attr, new Replies.Entry(d, attr), new Replies.Entry(d, null),
                new Replies.Unlinked(d, new Removal(new InodeRef(5000, 100), attr, true)),
                new Replies.Replaced(null, null), new Removal(new InodeRef(5000, 100), null, false),
                new Replies.RenameOutcome(9, Replies.RenameState.UNDONE),
                Boolean.TRUE, 7L, 1L << 40, "target",
                new ArrayList<>(List.of(new DirEntry("a", 5000, FileType.REGULAR))),
                List.of("user.a", "user.b"), List.of(), List.of(RenameIntent.of(9, "a", new Dentry(5002, FileType.REGULAR, 100), 101, "b", null)),
                List.copyOf(List.of(new DirEntry("b", 5001, FileType.FIFO)))));
        for (Object v : values) {
            DirReply reply = (DirReply) roundTrip(DirReply.ok(v));
            assertEquals(v, reply.value(), "as a reply: " + v.getClass().getName());
            if (v instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    assertEquals(list.get(i).getClass(), ((List<?>) reply.value()).get(i).getClass());
                }
            } else {
                assertEquals(v.getClass(), reply.value().getClass());
            }
            if (!(v instanceof List<?>)) {   // mutating commands (the ones with recorded answers) reply no lists
                DirEvent.Answered a = (DirEvent.Answered) roundTrip(new DirEvent.Answered("c", 1, v, 5));
                assertEquals(v, a.reply(), "as a recorded answer: " + v.getClass().getName());
                assertEquals(v.getClass(), a.reply().getClass());
            }
        }
        byte[] xattr = {1, 2, 3};
        assertArrayEquals(xattr, (byte[]) ((DirReply) roundTrip(DirReply.ok(xattr))).value());
        DirReply failed = (DirReply) roundTrip(DirReply.retryLater("stopped"));
        assertEquals(DirReply.retryLater("stopped"), failed);
    }

    @Test
    void aSnapshotKeepsTheOutcomesOfClosedRenames() {
        io.tierfs.meta.state.DirState st = new io.tierfs.meta.state.DirState(100);
        st.apply(new DirEvent.Initialized(1, new Attr(100, FileType.DIRECTORY, 0755, 2, 0, 0, 0, 1, 2, 3)));
        st.apply(new DirEvent.IntentAdded(RenameIntent.of(9, "a", new Dentry(5002, FileType.REGULAR, 100), 101, "b",
                null)));
        st.apply(new DirEvent.IntentClosed(9, true, 7));
        io.tierfs.meta.state.DirSnapshot back = (io.tierfs.meta.state.DirSnapshot) roundTrip(st.snapshot());
        assertEquals(List.of(new DirEvent.IntentClosed(9, true, 7)), back.closed());
    }
}
