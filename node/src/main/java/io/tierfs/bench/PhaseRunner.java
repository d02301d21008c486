package io.tierfs.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one benchmark phase with C client threads: operation {@code i} of {@code 0..ops-1} belongs to client
 * {@code i % C} (so every client touches every directory), all clients start together, each times every call it
 * makes; the phase ends when the last client is done and the closing step ({@code settle}, e.g. the sync barrier
 * that makes early-acknowledged operations durable) returned. Wall time, process CPU time and latency percentiles
 * make the {@link PhaseResult}.
 */
final class PhaseRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PhaseRunner.class);

    /** One operation; {@code client} picks the client's connection, {@code i} the file. */
    @FunctionalInterface
    interface Op {
        void run(int client, int i) throws Exception;
    }

    /** The closing step of a phase, inside its timing (not counted as an operation). */
    @FunctionalInterface
    interface Settle {
        void run() throws Exception;
    }

    /** A phase failed: which phase, which client, which operation, and why. */
    static final class PhaseFailed extends RuntimeException {
        PhaseFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final int clients;

    PhaseRunner(int clients) {
        if (clients <= 0) {
            throw new IllegalArgumentException("clients must be positive, got " + clients);
        }
        this.clients = clients;
    }

    PhaseResult run(String phase, int ops, Op op, Settle settle) {
        ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "bench-client");
            t.setDaemon(true);
            return t;
        });
        try {
            CountDownLatch start = new CountDownLatch(1);
            long[][] latencies = new long[clients][];
            List<Future<?>> done = new ArrayList<>(clients);
            for (int c = 0; c < clients; c++) {
                int client = c;
                int mine = ops / clients + (client < ops % clients ? 1 : 0);
                latencies[client] = new long[mine];
                done.add(pool.submit(() -> {
                    start.await();
                    long[] lat = latencies[client];
                    int k = 0;
                    for (int i = client; i < ops; i += clients) {
                        long t0 = System.nanoTime();
                        try {
                            op.run(client, i);
                        } catch (Exception | Error e) {
                            throw new PhaseFailed(phase + ": client " + client + ", operation " + i + " failed: "
                                    + e.getMessage(), e);
                        }
                        lat[k++] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            LOG.info("bench phase '{}' starts: {} operations, {} clients", phase, ops, clients);
            long cpu0 = ProcessCpu.nanos();
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<?> f : done) {
                await(f, phase);
            }
            try {
                settle.run();
            } catch (Exception e) {
                throw new PhaseFailed(phase + ": closing sync failed: " + e.getMessage(), e);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuSeconds = (ProcessCpu.nanos() - cpu0) / 1e9;
            long[] all = merge(latencies, ops);
            PhaseResult r = PhaseResult.of(phase, ops, seconds, cpuSeconds, percentile(all, 0.50) / 1e3,
                    percentile(all, 0.99) / 1e3);
            LOG.info("bench phase '{}' ends: {}", phase, r);
            return r;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(Future<?> f, String phase) {
        try {
            f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PhaseFailed pf) {
                throw pf;
            }
            throw new PhaseFailed(phase + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PhaseFailed(phase + " interrupted", e);
        }
    }

    private static long[] merge(long[][] parts, int total) {
        long[] all = new long[total];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        Arrays.sort(all);
        return all;
    }

    /** Nearest-rank percentile of sorted values (0 for none). */
    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
