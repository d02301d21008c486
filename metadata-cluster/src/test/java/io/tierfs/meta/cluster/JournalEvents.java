package io.tierfs.meta.cluster;

import io.tierfs.meta.state.DirEvent;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads a directory's journal through a second connection to the open H2 database and counts the EVENTS in it: a
 * row holds one event or a {@link DirEvent.Batch} of several, decoded with the node's own Pekko serialization.
 * The {@link DirEvent.Answered} records of request ids (one per client command with events) are not counted: the
 * counts are the namespace's own events.
 */
final class JournalEvents {
    private JournalEvents() {
    }

    /** Journal rows of directory {@code dir}. */
    static long rows(Path stateDir, String h2Options, long dir) throws SQLException {
        try (Connection c = connect(stateDir, h2Options);
             PreparedStatement st = c.prepareStatement(
                     "select count(*) from \"event_journal\" where \"persistence_id\" = ?")) {
            st.setString(1, "dir-" + dir);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Events of directory {@code dir} in the journal, batches counted by their contents, Answered left out. */
    static long events(MetadataNode node, Path stateDir, String h2Options, long dir) throws SQLException {
        Serialization serialization = SerializationExtension.get(Adapter.toClassic(node.system()));
        long n = 0;
        try (Connection c = connect(stateDir, h2Options);
             PreparedStatement st = c.prepareStatement("select \"event_ser_id\", \"event_ser_manifest\", "
                     + "\"event_payload\" from \"event_journal\" where \"persistence_id\" = ?")) {
            st.setString(1, "dir-" + dir);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Object event = serialization.deserialize(rs.getBytes(3), rs.getInt(1), rs.getString(2)).get();
                    if (event instanceof DirEvent.Batch b) {
                        n += b.events().stream().filter(e -> !(e instanceof DirEvent.Answered)).count();
                    } else if (!(event instanceof DirEvent.Answered)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static Connection connect(Path stateDir, String h2Options) throws SQLException {
        String url = "jdbc:h2:file:" + stateDir.resolve("meta/journal").toAbsolutePath() + h2Options;
        return DriverManager.getConnection(url, "sa", "");
    }
}
