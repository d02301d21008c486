package io.tierfs.meta.cluster;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the journal's tables before sharding starts (STACK.md pitfall 5). Several nodes of a new cluster start
 * at once against one empty database, and concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL's
 * catalog: a failed attempt is retried until the deadline (by then another node created the tables).
 */
final class JournalSchema {
    private static final Logger LOG = LoggerFactory.getLogger(JournalSchema.class);

    private JournalSchema() {
    }

    static void create(ActorSystem<?> system, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                SchemaUtils.createIfNotExists(system).toCompletableFuture()
                        .get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot create the journal schema: " + e.getCause().getMessage(),
                            e.getCause());
                }
                LOG.info("journal schema creation attempt {} failed ({}); retrying", attempt, e.getCause().getMessage());
                Thread.sleep(Math.min(2000, 100L * attempt)); // back-off between attempts against a shared database
            }
        }
    }
}
