package io.tierfs.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A line from a child process's output, or an IOException once the deadline passed (a hung child must not hang us). */
final class ReadLineWithDeadline {
    private ReadLineWithDeadline() {
    }

    static String readLine(BufferedReader in, long deadlineSec) throws IOException {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return in.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            return line.get(deadlineSec, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("no answer from a bench process within " + deadlineSec + " s", e);
        } catch (ExecutionException e) {
            throw new IOException("reading a bench process's output failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a bench process", e);
        }
    }
}
