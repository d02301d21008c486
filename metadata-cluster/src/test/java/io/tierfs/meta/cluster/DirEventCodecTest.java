package io.tierfs.meta.cluster;

import io.tierfs.common.Attr;
import io.tierfs.common.FileType;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Removal;
import io.tierfs.meta.codec.DirEventSerializer;
import io.tierfs.meta.state.Dentry;
import io.tierfs.meta.state.DirEvent;
import io.tierfs.meta.state.RenameIntent;
import io.tierfs.meta.state.Replies;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Directory events go to the journal in the binary form of {@link DirEventSerializer} and come back equal; rows
 * written by Jackson CBOR (journals from before the binary form) still read back.
 */
class DirEventCodecTest {
    @TempDir
    static Path stateDir;
    private static MetadataNode node;
    private static Serialization serialization;

    @BeforeAll
    static void start() {
        node = MetadataNode.startEmbedded(stateDir, Clock.systemUTC());
        serialization = SerializationExtension.get(Adapter.toClassic(node.system()));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static Object roundTrip(Object o, Serializer ser) {
        byte[] bytes = ser.toBinary(o);
        return serialization.deserialize(bytes, ser.identifier(), Serializers.manifestFor(ser, o)).get();
    }

    @Test
    void everyEventSurvivesTheBinaryFormAndTheOldJacksonForm() {
        Attr attr = new Attr(5000, FileType.REGULAR, 0644, 1, 7, 8, 42, 1, 2, 3);
        Dentry d = new Dentry(5000, FileType.REGULAR, 100);
        RenameIntent intent = RenameIntent.of(9, "a", d, 101, "b", new Dentry(5003, FileType.SYMLINK, 101));
        List<DirEvent> events = List.of(
                new DirEvent.Initialized(1, attr.withNlink(2)),
                new DirEvent.DentrySet("näme", d, 11),
                new DirEvent.DentryRemoved("x", 12),
                new DirEvent.InodeAdded(attr, null),
                new DirEvent.InodeAdded(new Attr(5001, FileType.SYMLINK, 0777, 1, 0, 0, 3, 1, 1, 1), "../t"),
                new DirEvent.InodeAdded(new Attr(5002, FileType.CHAR_DEVICE, 0600, 1, 0, 0, 0, 1, 1, 1,
                        (1L << 20) | 3), null),
                new DirEvent.InodeAdded(new Attr(5004, FileType.SOCKET, 0755, 1, 0, 0, 0, 1, 1, 1), null),
                new DirEvent.LinkAdjusted(5000, -1, 13, 99),
                new DirEvent.AttrSet(attr.withSize(1L << 40)),
                new DirEvent.XattrSet(5000, "user.k", new byte[]{1, 2, 3}),
                new DirEvent.XattrRemoved(5000, "user.k"),
                new DirEvent.RemovingSet(true),
                new DirEvent.Removed(14),
                new DirEvent.ParentSet(7, 15),
                new DirEvent.IntentAdded(intent),
                new DirEvent.IntentAdded(RenameIntent.of(10, "dir", new Dentry(6000, FileType.DIRECTORY, 6000), 102,
                        "d2", null)),
                new DirEvent.IntentClosed(9, true, 16),
                new DirEvent.Answered("gw-1", 3, new Replies.Entry(d, attr), 17),
                new DirEvent.Answered("gw-1", 4, new Replies.Unlinked(d, new Removal(new InodeRef(5000, 100), attr,
                        true)), 18),
                new DirEvent.Answered("gw-1", 5, new Replies.Replaced(null, null), 19),
                new DirEvent.Answered("gw-1", 6, Boolean.FALSE, 20),
                new DirEvent.Answered("gw-1", 7, 42L, 21),
                new DirEvent.Answered("gw-1", 8, "a symlink target", 22),
                new DirEvent.Answered("gw-1", 9, null, 23));
        Serializer binary = serialization.findSerializerFor(events.get(0));
        assertEquals(DirEventSerializer.IDENTIFIER, binary.identifier(), "events are bound to the binary form");
        Serializer jackson = serialization.serializerByIdentity().get(33).get(); // jackson-cbor, as old rows
        assertTrue(jackson.getClass().getName().contains("Jackson"), jackson.getClass().getName());
        for (Serializer ser : List.of(binary, jackson)) {
            for (DirEvent e : events) {
                assertSame(e, roundTrip(e, ser), ser.getClass().getSimpleName());
            }
            DirEvent.Batch batch = (DirEvent.Batch) roundTrip(new DirEvent.Batch(events), ser);
            assertEquals(events.size(), batch.events().size());
            for (int i = 0; i < events.size(); i++) {
                assertSame(events.get(i), batch.events().get(i), "in a batch");
            }
        }
    }

    /** Equal, with byte arrays compared by content and reply values of the exact same class. */
    private static void assertSame(DirEvent expected, Object actual, String how) {
        if (expected instanceof DirEvent.XattrSet x) {
            DirEvent.XattrSet y = (DirEvent.XattrSet) actual;
            assertEquals(x.ino(), y.ino());
            assertEquals(x.name(), y.name());
            assertArrayEquals(x.value(), y.value());
            return;
        }
        assertEquals(expected, actual, how);
        if (expected instanceof DirEvent.Answered a && a.reply() != null) {
            assertEquals(a.reply().getClass(), ((DirEvent.Answered) actual).reply().getClass(), how);
        }
    }
}
