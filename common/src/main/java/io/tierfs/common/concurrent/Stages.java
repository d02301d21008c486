package io.tierfs.common.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Continuations on the {@link CompletionStage}s that Pekko's Java API hands out ({@code AskPattern.ask},
 * {@code EntityRef.ask}), run in the thread that completes the stage.
 * <p>
 * Why this exists: those stages are Scala's {@code FutureConverters} {@code CF}, whose {@code thenApply},
 * {@code thenAccept}, {@code whenComplete}, {@code handle}, {@code exceptionally}, ... are the {@code *Async}
 * variants in disguise (Scala keeps callbacks off the completing thread). Without an executor those run on the
 * JDK's default async executor, and when the common pool's parallelism is below 2 (every machine with fewer than
 * three CPUs, such as the project's 2-core one) that executor starts a <b>new thread for every callback</b>. On the
 * metadata path that was one thread start per create and per unlink, ~300 us of a FUSE CREATE's ~330 us. The
 * continuations given here are cheap (wrap a reply, count something), so running them directly in the completing
 * thread (an actor's dispatcher thread, or the caller when the stage is already complete) is right.
 */
public final class Stages {
    /** Runs a task in the calling thread. */
    public static final Executor DIRECT = Runnable::run;

    private Stages() {
    }

    /** {@code stage.thenApply(fn)}, with {@code fn} run in the completing thread. */
    public static <T, U> CompletableFuture<U> map(CompletionStage<T> stage, Function<? super T, ? extends U> fn) {
        return stage.<U>thenApplyAsync(fn, DIRECT).toCompletableFuture();
    }

    /** {@code stage.whenComplete(action)}, with {@code action} run in the completing thread. */
    public static <T> void onComplete(CompletionStage<T> stage, BiConsumer<? super T, ? super Throwable> action) {
        stage.whenCompleteAsync(action, DIRECT);
    }
}
