package io.tierfs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code tierfs bench rtt}: the CPU that one request and its answer cost between two endpoints on this machine,
 * which is the floor under every metadata operation a client sends to another member. Both endpoints run in this
 * JVM, so the process CPU time counts both ends (as {@code bench metadata}'s "ops per CPU-second" does for its
 * in-process cluster): a bare TCP exchange on 127.0.0.1 (blocking sockets, one connection per client, 64-byte
 * messages), a Pekko Artery ask between two ActorSystems (what a remote metadata ask rides on, without any
 * namespace work) and, as the baseline, the same ask to an actor of the asker's own ActorSystem.
 */
public final class RttBench {
    public static final String USAGE = "bench rtt [--clients 4] [--seconds 5] [--json]";
    private static final int MESSAGE = 64;
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    /** What one transport achieved with {@code clients} synchronous clients. */
    public record Row(String transport, int clients, long roundTrips, double seconds, double cpuSeconds) {
        double perSecond() {
            return seconds <= 0 ? 0 : roundTrips / seconds;
        }

        /** CPU microseconds (both ends, all threads) per request and answer. */
        double cpuMicrosPerRoundTrip() {
            return roundTrips == 0 ? 0 : cpuSeconds * 1e6 / roundTrips;
        }
    }

    /** A client's loop: one synchronous request and answer per call. */
    private interface Exchange extends AutoCloseable {
        void roundTrip() throws Exception;

        @Override
        default void close() throws IOException {
        }
    }

    private RttBench() {
    }

    public static int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        int clients = 4;
        double seconds = 5;
        boolean json = false;
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            switch (a) {
                case "--clients" -> clients = BenchArgs.count(BenchArgs.value(argv, ++i, a, "tierfs " + USAGE), a);
                case "--seconds" -> seconds = seconds(BenchArgs.value(argv, ++i, a, "tierfs " + USAGE));
                case "--json" -> json = true;
                default -> throw new IllegalArgumentException("unexpected argument '" + a + "'; usage: tierfs "
                        + USAGE);
            }
        }
        if (clients < 1) {
            throw new IllegalArgumentException("--clients must be at least 1: " + clients);
        }
        List<Row> rows = measure(clients, seconds, err);
        out.println(json ? toJson(rows) : toTable(rows));
        return 0;
    }

    private static double seconds(String s) {
        try {
            double v = Double.parseDouble(s);
            if (v > 0 && v <= 3600) {
                return v;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seconds needs a number of seconds, not '" + s + "'", e);
        }
        throw new IllegalArgumentException("--seconds must be in (0, 3600]: " + s);
    }

    /** Every transport, with one client and with {@code clients}. */
    public static List<Row> measure(int clients, double seconds, PrintStream progress) throws Exception {
        List<Row> rows = new ArrayList<>();
        int[] counts = clients == 1 ? new int[]{1} : new int[]{1, clients};
        try (TcpEcho echo = new TcpEcho()) {
            for (int n : counts) {
                progress.printf("tcp, %d client(s)...%n", n);
                rows.add(phase("tcp 127.0.0.1", n, seconds, echo::connect));
            }
        }
        Config config = artery();
        ActorSystem asker = ActorSystem.create("rtt-asker", config);
        try {
            ActorSystem answerer = ActorSystem.create("rtt-answerer", config);
            try {
                ActorRef local = asker.actorOf(Props.create(Echo.class), "echo");
                answerer.actorOf(Props.create(Echo.class), "echo");
                String path = ((ExtendedActorSystem) answerer).provider().getDefaultAddress() + "/user/echo";
                ActorRef remote = asker.actorSelection(path).resolveOne(ASK_TIMEOUT).toCompletableFuture()
                        .get(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                for (int n : counts) {
                    progress.printf("pekko ask, same ActorSystem, %d client(s)...%n", n);
                    rows.add(phase("pekko ask, local", n, seconds, () -> ask(local)));
                    progress.printf("pekko ask over Artery, %d client(s)...%n", n);
                    rows.add(phase("pekko ask, Artery", n, seconds, () -> ask(remote)));
                }
            } finally {
                stop(answerer);
            }
        } finally {
            stop(asker);
        }
        return rows;
    }

    private static void stop(ActorSystem system) throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static Config artery() {
        return ConfigFactory.parseString("""
                pekko.actor.provider = remote
                pekko.remote.artery.transport = tcp
                pekko.remote.artery.canonical.hostname = "127.0.0.1"
                pekko.remote.artery.canonical.port = 0
                pekko.loglevel = WARNING
                pekko.actor.allow-java-serialization = off
                """).withFallback(ConfigFactory.load());
    }

    private static Exchange ask(ActorRef target) {
        return () -> Patterns.ask(target, "ping", ASK_TIMEOUT).toCompletableFuture()
                .get(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Answers every message with itself: no work besides the exchange. */
    public static final class Echo extends AbstractActor {
        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> getSender().tell(m, getSelf())).build();
        }
    }

    /** A warm-up second, then {@code seconds} of {@code clients} threads each exchanging as fast as it can. */
    private static Row phase(String transport, int clients, double seconds,
                             ThrowingSupplier<Exchange> connect) throws Exception {
        List<Exchange> exchanges = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                exchanges.add(connect.get());
            }
            run(exchanges, 1.0); // JIT and connections: not measured
            long cpu0 = ProcessCpu.nanos();
            long t0 = System.nanoTime();
            long n = run(exchanges, seconds);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (ProcessCpu.nanos() - cpu0) / 1e9;
            return new Row(transport, clients, n, wall, cpu);
        } finally {
            for (Exchange e : exchanges) {
                e.close();
            }
        }
    }

    private static long run(List<Exchange> exchanges, double seconds) throws Exception {
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(exchanges.size());
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (Exchange e : exchanges) {
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        e.roundTrip();
                        done.increment();
                    }
                } catch (Exception | Error x) {
                    failures.add(x);
                } finally {
                    finished.countDown();
                }
            }, "tierfs-rtt-client");
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        java.util.concurrent.locks.LockSupport.parkNanos((long) (seconds * 1e9));
        stop.set(true);
        if (!finished.await(30, TimeUnit.SECONDS)) {
            throw new IOException("rtt clients did not stop within 30 s");
        }
        if (!failures.isEmpty()) {
            throw new IOException("an exchange failed: " + failures.get(0), failures.get(0));
        }
        return done.sum();
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    /** An echo server on 127.0.0.1: one thread per connection, fixed-size messages. */
    private static final class TcpEcho implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> accepted = java.util.Collections.synchronizedList(new ArrayList<>());

        TcpEcho() throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread acceptor = new Thread(this::accept, "tierfs-rtt-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    accepted.add(s);
                    Thread t = new Thread(() -> echo(s), "tierfs-rtt-echo");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private static void echo(Socket s) {
            byte[] buf = new byte[MESSAGE];
            try (s; DataInputStream in = new DataInputStream(s.getInputStream());
                 DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
                while (true) {
                    in.readFully(buf);
                    out.write(buf);
                    out.flush();
                }
            } catch (IOException e) {
                // the client closed its connection: the phase is over
            }
        }

        Exchange connect() throws IOException {
            Socket s = new Socket();
            s.connect(server.getLocalSocketAddress());
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            byte[] buf = new byte[MESSAGE];
            return new Exchange() {
                @Override
                public void roundTrip() throws IOException {
                    out.write(buf);
                    out.flush();
                    in.readFully(buf);
                }

                @Override
                public void close() throws IOException {
                    s.close();
                }
            };
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    static String toTable(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("one request and its answer, both ends in this JVM (CPU = the whole process)\n");
        sb.append(String.format(Locale.ROOT, "%-20s %8s %14s %16s%n", "transport", "clients", "round trips/s",
                "CPU us per trip"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-20s %8d %14.0f %16.1f%n", r.transport(), r.clients(),
                    r.perSecond(), r.cpuMicrosPerRoundTrip()));
        }
        return sb.toString();
    }

    static String toJson(List<Row> rows) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ArrayNode a = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode n = a.addObject();
            n.put("transport", r.transport());
            n.put("clients", r.clients());
            n.put("roundTripsPerSecond", BenchJson.round(r.perSecond()));
            n.put("cpuMicrosPerRoundTrip", BenchJson.round(r.cpuMicrosPerRoundTrip()));
            n.put("seconds", BenchJson.round(r.seconds()));
            n.put("cpuSeconds", BenchJson.round(r.cpuSeconds()));
        }
        return BenchJson.render(root);
    }
}
