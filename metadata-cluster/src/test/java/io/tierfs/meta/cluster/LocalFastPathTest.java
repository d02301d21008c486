package io.tierfs.meta.cluster;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Caller;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.Await;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.entity.DirMsg;
import io.tierfs.meta.entity.LocalDirRegistry;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.Replies;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clients' one-hop fast path to directory entities of this node ({@link LocalDirRegistry}): no ask is lost or
 * answered wrongly while the entity passivates and restarts under load, a stopped entity is never left in the
 * registry, and the entity passivates itself when idle (sharding cannot see fast-path traffic).
 */
class LocalFastPathTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path stateDir;

    @Test
    void passivationWhileAsksAreInFlightAnswersEveryAsk() throws Exception {
        // a lost message would surface as ETIMEDOUT after 5s instead of hanging the test for the default 15s
        try (MetadataNode node = MetadataNode.start(stateDir, Clock.systemUTC(), Caller.ROOT,
                ConfigFactory.parseString("tierfs.meta.ask-timeout = 5s"))) {
            Namespace ns = node.namespace();
            LocalDirRegistry local = node.localDirs();
            long dir = ns.mkdir(InodeRef.ROOT_INO, "busy", 0755, Caller.ROOT).ref().ino();
            ns.lookup(InodeRef.ROOT_INO, "busy");
            int threads = 4;
            // creates decided in the callers' threads are fast: the load runs until the entity has been passivated
            // (and restarted) several times under it, not for a fixed count
            int maxPerThread = 200_000;
            int wantedPassivations = 5;
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger created = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            int passivations = 0;
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    workers.add(pool.submit(() -> {
                        for (int i = 0; i < maxPerThread && !stop.get(); i++) {
                            long ino = ns.create(dir, "f" + id + "-" + i, 0644, Caller.ROOT, true).ref().ino();
                            created.incrementAndGet();
                            assertEquals(ino, ns.lookup(dir, "f" + id + "-" + i).ref().ino());
                            if (i > 0) {
                                ns.lookup(dir, "f" + id + "-" + (i - 1));   // an earlier incarnation's create
                            }
                        }
                        return null;
                    }));
                }
                CompletableFuture<Void> all = CompletableFuture.runAsync(() -> {
                    for (Future<?> w : workers) {
                        try {
                            w.get();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }).whenComplete((v, e) -> done.set(true));
                ActorRef<DirMsg> last = null;
                while (!done.get() && passivations < wantedPassivations) {
                    ActorRef<DirMsg> previous = last;
                    Await.until(WAIT, "a new incarnation of the directory entity or the end of the load",
                            () -> done.get() || (local.peek(dir) != null && local.peek(dir) != previous));
                    ActorRef<DirMsg> current = local.peek(dir);
                    if (!done.get() && current != null && local.passivate(dir)) {
                        last = current;
                        passivations++;
                    }
                }
                stop.set(true);
                all.get(WAIT.toSeconds(), TimeUnit.SECONDS);   // rethrows a worker's failure (e.g. ETIMEDOUT)
                assertTrue(passivations >= 3, "the load did not overlap passivations: " + passivations);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(created.get(), ns.readdir(dir, null, created.get() + 10).size());
        }
    }

    @Test
    void aStoppedEntityIsNeverInTheRegistry() throws Exception {
        try (MetadataNode node = MetadataNode.startEmbedded(stateDir, Clock.systemUTC())) {
            Namespace ns = node.namespace();
            LocalDirRegistry local = node.localDirs();
            long dir = ns.mkdir(InodeRef.ROOT_INO, "d", 0755, Caller.ROOT).ref().ino();
            ns.create(dir, "x", 0644, Caller.ROOT, true);
            ActorRef<DirMsg> first = local.peek(dir);
            assertNotNull(first, "a running entity is registered");
            CompletableFuture<ActorRef<DirMsg>> atStop = new CompletableFuture<>();
            node.system().systemActorOf(Behaviors.<Void>setup(ctx -> {
                ctx.watch(first);
                return Behaviors.receiveSignal((c, sig) -> {
                    if (sig instanceof Terminated) {
                        atStop.complete(local.peek(dir));
                        return Behaviors.stopped();
                    }
                    return Behaviors.same();
                });
            }), "stop-watch", Props.empty());
            assertTrue(local.passivate(dir));
            ActorRef<DirMsg> registeredWhenStopped = atStop.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotEquals(first, registeredWhenStopped, "the stopped entity is still registered");
            assertEquals("x", ns.readdir(dir, null, 10).get(0).name());   // early create survived passivation
            assertNotNull(local.peek(dir));
            assertNotSame(first, local.peek(dir));
        }
    }

    @Test
    void anIdleEntityPassivatesItselfAndComesBack() {
        try (MetadataNode node = MetadataNode.start(stateDir, Clock.systemUTC(), Caller.ROOT,
                ConfigFactory.parseString("tierfs.meta.passivate-idle = 100ms"))) {
            Namespace ns = node.namespace();
            long dir = ns.mkdir(InodeRef.ROOT_INO, "idle", 0755, Caller.ROOT).ref().ino();
            ns.create(dir, "y", 0644, Caller.ROOT, true);
            assertNotNull(node.localDirs().peek(dir));
            Await.until(WAIT, "idle directory entity passivated", () -> node.localDirs().peek(dir) == null);
            assertEquals("y", ns.readdir(dir, null, 10).get(0).name());
            assertNotNull(node.localDirs().peek(dir));
        }
    }

    @Test
    void localLookupsReadTheEntityStateAndCountAsUse() {
        try (MetadataNode node = MetadataNode.start(stateDir, Clock.systemUTC(), Caller.ROOT,
                ConfigFactory.parseString("tierfs.meta.passivate-idle = 200ms"))) {
            Namespace ns = node.namespace();
            LocalDirRegistry local = node.localDirs();
            long dir = ns.mkdir(InodeRef.ROOT_INO, "read-only", 0755, Caller.ROOT).ref().ino();
            long ino = ns.create(dir, "z", 0644, Caller.ROOT, true).ref().ino();
            Object reply = local.read(dir, new DirCommand.Lookup("z"));
            assertNotSame(LocalDirRegistry.NOT_HOSTED, reply, "a hosted, recovered entity is read in place");
            assertEquals(ino, ((Replies.Entry) reply).dentry().ino());
            assertSame(LocalDirRegistry.NOT_HOSTED, local.read(dir + 1_000_000, new DirCommand.GetParent()));
            // only local lookups for several idle periods: they keep the same incarnation alive
            ActorRef<DirMsg> incarnation = local.peek(dir);
            long until = System.nanoTime() + Duration.ofMillis(1200).toNanos();
            while (System.nanoTime() < until) {
                assertEquals(ino, ns.lookup(dir, "z").ref().ino());
            }
            assertSame(incarnation, local.peek(dir), "lookups through the view did not count as use");
            // once idle it passivates, and the view is no longer read: lookups go through sharding again
            Await.until(WAIT, "idle directory entity passivated", () -> local.peek(dir) == null);
            assertSame(LocalDirRegistry.NOT_HOSTED, local.read(dir, new DirCommand.Lookup("z")));
            assertEquals(ino, ns.lookup(dir, "z").ref().ino());
        }
    }
}
