package io.tierfs.bench;

import io.tierfs.tier.net.ChunkClient;
import io.tierfs.tier.net.ChunkKey;
import io.tierfs.tier.net.ChunkRepository;
import io.tierfs.tier.net.ChunkServer;
import io.tierfs.tier.net.DataPlaneSettings;
import io.tierfs.tier.net.DirectoryChunkRepository;
import io.tierfs.tier.net.QuotaGate;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code tierfs bench dataplane}: chunk I/O on another node against the same I/O on this one, in one run. Local:
 * a {@link DirectoryChunkRepository} on tmpfs, called directly. Remote: the same kind of repository behind a
 * {@link ChunkServer}, called through a {@link ChunkClient} over loopback TCP (framing, CRC32C both ways, the
 * server's thread hand-off: everything but the wire). Both write SIZE bytes as CHUNK-sized chunks in BLOCK-sized
 * requests from a few threads, then read them back; the ratio remote/local is what the data plane costs.
 */
public final class DataPlaneBench {
    public static final String USAGE = "bench dataplane [--size 1g] [--chunk 4m] [--block 1m] [--threads 4] "
            + "[--dir /dev/shm] [--json]";
    private static final String OWNER = "bench";
    private static final int PINGS = 2000;

    private DataPlaneBench() {
    }

    public static int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        DataPlaneBenchOptions o = DataPlaneBenchOptions.parse(argv);
        DataPlaneBenchReport r = run(o, err);
        out.println(o.json() ? r.toJson() : r.toTable());
        return 0;
    }

    /** Runs both sides on a fresh directory under {@code o.dir()}, removed afterwards. */
    public static DataPlaneBenchReport run(DataPlaneBenchOptions o, PrintStream progress) throws Exception {
        Path base = o.dir().resolve("tierfs-bench-dataplane-" + UUID.randomUUID());
        try {
            progress.printf("local: %d MiB in %d KiB chunks under %s...%n", o.sizeBytes() >> 20, o.chunkBytes() >> 10,
                    base);
            DataPlaneBenchReport.Side local;
            DirectoryChunkRepository localRepo = new DirectoryChunkRepository(base.resolve("local"),
                    QuotaGate.UNLIMITED);
            local = measure(o, new LocalIo(localRepo));
            localRepo.deleteOwner(OWNER);

            progress.println("remote: the same through the data plane over 127.0.0.1...");
            DataPlaneBenchReport.Side remote;
            long[] ping;
            DirectoryChunkRepository remoteRepo = new DirectoryChunkRepository(base.resolve("remote"),
                    QuotaGate.UNLIMITED);
            try (ChunkServer server = new ChunkServer(remoteRepo, "127.0.0.1", 0);
                 ChunkClient client = new ChunkClient(DataPlaneSettings.defaults())) {
                ping = pings(client, server.address());
                remote = measure(o, new RemoteIo(client, server.address()));
                if (remoteRepo.usedBytes(OWNER) != o.sizeBytes()) {
                    throw new IllegalStateException("remote repository holds " + remoteRepo.usedBytes(OWNER)
                            + " bytes, expected " + o.sizeBytes());
                }
                client.deleteOwner(server.address(), OWNER);
            }
            return new DataPlaneBenchReport(o, base, local, remote, ping[0] / 1000.0, ping[1] / 1000.0);
        } finally {
            BenchFiles.deleteTree(base);
        }
    }

    /** How one side moves bytes. */
    private interface ChunkIo {
        void write(ChunkKey k, long pos, ByteBuffer src);

        int read(ChunkKey k, long pos, ByteBuffer dst);
    }

    private record LocalIo(ChunkRepository repo) implements ChunkIo {
        @Override
        public void write(ChunkKey k, long pos, ByteBuffer src) {
            repo.write(k, pos, src);
        }

        @Override
        public int read(ChunkKey k, long pos, ByteBuffer dst) {
            return repo.read(k, pos, dst);
        }
    }

    private record RemoteIo(ChunkClient client, InetSocketAddress peer) implements ChunkIo {
        @Override
        public void write(ChunkKey k, long pos, ByteBuffer src) {
            client.write(peer, k, pos, src);
        }

        @Override
        public int read(ChunkKey k, long pos, ByteBuffer dst) {
            return client.read(peer, k, pos, dst);
        }
    }

    /** Writes then reads every chunk, thread t taking chunks t, t+threads, ...; each chunk front to back. */
    private static DataPlaneBenchReport.Side measure(DataPlaneBenchOptions o, ChunkIo io) throws Exception {
        long chunks = o.sizeBytes() / o.chunkBytes();
        double write = timed(o, chunks, (k, buf, seed) -> {
            for (long pos = 0; pos < o.chunkBytes(); pos += o.blockBytes()) {
                buf.clear();
                buf.putLong(0, seed ^ pos); // every block differs
                io.write(k, pos, buf);
            }
        });
        double read = timed(o, chunks, (k, buf, seed) -> {
            for (long pos = 0; pos < o.chunkBytes(); pos += o.blockBytes()) {
                buf.clear();
                int n = io.read(k, pos, buf);
                if (n != o.blockBytes() || buf.getLong(0) != (seed ^ pos)) {
                    throw new IllegalStateException("read back of " + k + " at " + pos + ": " + n + " bytes, "
                            + "wrong content or length");
                }
            }
        });
        return new DataPlaneBenchReport.Side(o.sizeBytes() / 1048576.0 / write, o.sizeBytes() / 1048576.0 / read,
                write, read);
    }

    /** One chunk's work for a thread, with the thread's block buffer and the chunk's seed. */
    private interface ChunkTask {
        void run(ChunkKey k, ByteBuffer buf, long seed) throws Exception;
    }

    /** Seconds for all threads to run {@code task} on all chunks. */
    private static double timed(DataPlaneBenchOptions o, long chunks, ChunkTask task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(o.threads());
        try {
            List<Future<?>> fs = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int t = 0; t < o.threads(); t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    ByteBuffer buf = ByteBuffer.allocateDirect(o.blockBytes());
                    byte[] fill = new byte[o.blockBytes()];
                    new Random(id).nextBytes(fill);
                    buf.put(fill).clear();
                    for (long c = id; c < chunks; c += o.threads()) {
                        task.run(new ChunkKey(OWNER, c, 0, 1), buf, c * 0x9E3779B97F4A7C15L);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Median and 99th percentile of a ping round trip, in nanoseconds (after a warm-up). */
    private static long[] pings(ChunkClient client, InetSocketAddress peer) {
        for (int i = 0; i < 200; i++) {
            client.ping(peer);
        }
        long[] ns = new long[PINGS];
        for (int i = 0; i < PINGS; i++) {
            ns[i] = client.ping(peer).toNanos();
        }
        Arrays.sort(ns);
        return new long[]{ns[PINGS / 2], ns[(int) (PINGS * 0.99)]};
    }
}
