package io.tierfs.meta.client;

import io.tierfs.common.concurrent.Stages;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Continuations on Pekko's ask stages: {@link Stages} runs them in the answering actor's thread, where a plain
 * {@code thenApply} on the same kind of stage runs in some other thread (a new one per call on a 2-CPU machine).
 */
class StagesTest {
    private static final Duration ASK = Duration.ofSeconds(10);
    private static ActorTestKit kit;

    /** Answers a ping once released, telling which thread it answered from. */
    private record Ping(CountDownLatch release, AtomicReference<Thread> answeredBy, ActorRef<String> replyTo) {
    }

    private static Behavior<Ping> ponger() {
        return Behaviors.receiveMessage(p -> {
            assertTrue(p.release().await(10, TimeUnit.SECONDS), "the test never released the answer");
            p.answeredBy().set(Thread.currentThread());
            p.replyTo().tell("pong");
            return Behaviors.same();
        });
    }

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("stages");
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private static CompletionStage<String> ask(ActorRef<Ping> ponger, CountDownLatch release,
                                               AtomicReference<Thread> answeredBy) {
        return AskPattern.ask(ponger, r -> new Ping(release, answeredBy, r), ASK, kit.scheduler());
    }

    @Test
    void aMappedAskRunsInTheThreadThatAnswered() throws Exception {
        ActorRef<Ping> ponger = kit.spawn(ponger());
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> answeredBy = new AtomicReference<>();
        CompletableFuture<Thread> ranIn = Stages.map(ask(ponger, release, answeredBy), r -> Thread.currentThread());
        release.countDown();
        Thread t = ranIn.get(10, TimeUnit.SECONDS);
        assertSame(answeredBy.get(), t, "continuation ran in " + t.getName());
    }

    @Test
    void aPlainThenApplyOnTheSameStageRunsElsewhere() throws Exception {
        ActorRef<Ping> ponger = kit.spawn(ponger());
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> answeredBy = new AtomicReference<>();
        CompletableFuture<Thread> ranIn = ask(ponger, release, answeredBy).thenApply(r -> Thread.currentThread())
                .toCompletableFuture();
        release.countDown();
        Thread t = ranIn.get(10, TimeUnit.SECONDS);
        assertNotEquals(answeredBy.get(), t, "Scala's converted future ran thenApply in the answering thread");
        assertNotEquals(Thread.currentThread(), t);
    }

    @Test
    void aMappedStageThatIsAlreadyCompleteRunsInTheCaller() throws Exception {
        ActorRef<Ping> ponger = kit.spawn(ponger());
        CountDownLatch release = new CountDownLatch(1);
        release.countDown();
        CompletionStage<String> answered = ask(ponger, release, new AtomicReference<>());
        assertEquals("pong", answered.toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertSame(Thread.currentThread(), Stages.map(answered, r -> Thread.currentThread()).get());
    }

    @Test
    void onCompleteSeesAFailedAskInTheThreadThatFailedIt() throws Exception {
        ActorRef<Ping> silent = kit.spawn(Behaviors.receiveMessage(p -> Behaviors.same()));
        CompletionStage<String> never = AskPattern.ask(silent, r -> new Ping(new CountDownLatch(0),
                new AtomicReference<>(), r), Duration.ofMillis(50), kit.scheduler());
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        AtomicReference<String> value = new AtomicReference<>("unset");
        Stages.onComplete(never, (v, e) -> {
            value.set(v);
            seen.complete(e);
        });
        Throwable e = seen.get(10, TimeUnit.SECONDS);
        assertInstanceOf(TimeoutException.class, e);
        assertNull(value.get());
    }
}
