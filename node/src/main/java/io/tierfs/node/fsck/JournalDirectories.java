package io.tierfs.node.fsck;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every directory entity that ever persisted an event, from the journal's persistence ids ({@code dir-<ino>}).
 * The only complete list of directories: a walk from the root misses exactly the ones fsck must find (those that
 * nothing names any more).
 */
public final class JournalDirectories {
    static final String PREFIX = "dir-";

    private JournalDirectories() {
    }

    public static List<Long> list(ActorSystem<?> system, Duration timeout) {
        JdbcReadJournal journal = PersistenceQuery.get(system.classicSystem())
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        List<String> ids;
        try {
            ids = journal.currentPersistenceIds().runWith(Sink.seq(), system).toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FsException(Errno.EIO, "interrupted while listing the journal's directories", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new FsException(Errno.EIO, "cannot list the directories in the metadata journal", e);
        }
        return parse(ids);
    }

    /** The inode numbers of the directory persistence ids among {@code ids} (others are skipped). */
    static List<Long> parse(List<String> ids) {
        List<Long> out = new ArrayList<>();
        for (String id : ids) {
            if (id.startsWith(PREFIX)) {
                try {
                    out.add(Long.parseLong(id.substring(PREFIX.length())));
                } catch (NumberFormatException e) {
                    throw new FsException(Errno.EIO, "unexpected persistence id '" + id + "' in the metadata journal", e);
                }
            }
        }
        return out;
    }
}
