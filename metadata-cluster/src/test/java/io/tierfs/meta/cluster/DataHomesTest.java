package io.tierfs.meta.cluster;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Caller;
import io.tierfs.common.InodeRef;
import io.tierfs.common.time.ManualClock;
import io.tierfs.meta.client.ClusterNamespace;
import io.tierfs.meta.client.DataHomes;
import io.tierfs.meta.entity.AllocEntity;
import io.tierfs.meta.state.InoRange;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Data homes: every inode range is recorded with the member that reserved it, survives a restart (journal and
 * snapshots), and is answered to any client; ranges and events from before homes were recorded mean "unknown".
 */
class DataHomesTest {
    private static final Caller ALICE = new Caller(1000, 100);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-02-01T00:00:00Z"));

    @TempDir
    Path stateDir;

    private MetadataNode start(String id) {
        // small ranges: many reservations, so that the allocator snapshots (every 100 events) are exercised too
        return MetadataNode.start(stateDir, clock, new Caller(7, 8), ConfigFactory.parseString(
                "tierfs.meta.ino-range = 2\ntierfs.meta.data-home-id = \"" + id + "\""));
    }

    @Test
    void theMemberThatReservedANumberIsItsHomeAcrossRestarts() {
        long first;
        long last;
        try (MetadataNode node = start("alpha")) {
            first = node.namespace().create(InodeRef.ROOT_INO, "f0", 0644, ALICE, true).ref().ino();
            last = first;
            for (int i = 1; i < 250; i++) {
                last = node.namespace().create(InodeRef.ROOT_INO, "f" + i, 0644, ALICE, true).ref().ino();
            }
            assertEquals(Optional.of("alpha"), node.dataHomes().homeOf(first), "learnt when reserved");
            assertEquals("alpha", node.memberId());
        }
        try (MetadataNode node = start("beta")) {
            assertEquals(0, node.dataHomes().knownRanges());
            assertEquals(Optional.of("alpha"), node.dataHomes().homeOf(first), "asked from the allocator");
            assertEquals(Optional.of("alpha"), node.dataHomes().homeOf(last), "replayed after a snapshot");
            assertEquals(1, node.dataHomes().knownRanges(), "consecutive reservations of one member are one range");
            ClusterNamespace other = node.newClient();
            long mine = other.create(InodeRef.ROOT_INO, "g", 0644, ALICE, true).ref().ino();
            assertEquals(Optional.of("beta"), node.dataHomes().homeOf(mine));
            assertEquals(Optional.empty(), node.dataHomes().homeOf(5), "never reserved: unknown");
            assertEquals(Optional.empty(), node.dataHomes().homeOf(mine + 1_000_000), "not reserved yet: unknown");
        }
    }

    @Test
    void answersAreCachedForever() {
        AtomicInteger asked = new AtomicInteger();
        DataHomes homes = new DataHomes(ino -> {
            asked.incrementAndGet();
            return ino < 2000 ? new InoRange(1024, 976, "a") : new InoRange(ino, 1, null);
        });
        homes.learn(new InoRange(4096, 4096, "self"));
        assertEquals(Optional.of("self"), homes.homeOf(5000));
        assertEquals(0, asked.get(), "its own ranges need no query");
        assertEquals(Optional.of("a"), homes.homeOf(1500));
        assertEquals(Optional.of("a"), homes.homeOf(1024));
        assertEquals(Optional.of("a"), homes.homeOf(1999));
        assertEquals(1, asked.get(), "one query per range");
        assertEquals(Optional.empty(), homes.homeOf(3000));
        assertEquals(Optional.empty(), homes.homeOf(3000));
        assertEquals(2, asked.get(), "unknown numbers are cached too");
    }

    @Test
    void aReservationEventFromBeforeHomesWereRecordedMeansUnknown() throws Exception {
        try (MetadataNode node = start("gamma")) {
            Serialization s = SerializationExtension.get(Adapter.toClassic(node.system()));
            AllocEntity.Reserved now = new AllocEntity.Reserved(5120, 4096, "gamma");
            var serializer = s.findSerializerFor(now);
            String manifest = org.apache.pekko.serialization.Serializers.manifestFor(serializer, now);
            // the CBOR of the old event shape, Reserved(next) only, as written before this change
            com.fasterxml.jackson.databind.ObjectMapper cbor = new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.cbor.CBORFactory());
            byte[] old = cbor.writeValueAsBytes(java.util.Map.of("next", 9216L));
            AllocEntity.Reserved back = (AllocEntity.Reserved) s.deserialize(old, serializer.identifier(), manifest).get();
            assertEquals(9216L, back.next());
            assertNull(back.member());
            assertEquals(0, back.count());
            AllocEntity.Next state = new AllocEntity.Next(1024, null);
            assertEquals(List.of(), state.ranges(), "an old snapshot has no ranges");
            assertNull(state.homeOf(2000).member());
        }
    }
}
