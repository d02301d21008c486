package io.tierfs.node.gateway;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The node's REST gateway (pekko-http). Binds 127.0.0.1 by default and requires the bearer token of
 * {@link GatewayToken} on every call; writes the bound port to {@code gateway.port} in the state directory so that
 * the CLI finds the node without configuration.
 */
public final class Gateway implements AutoCloseable {
    public static final String PORT_FILE = "gateway.port";

    private final ServerBinding binding;
    private final Path portFile;

    private Gateway(ServerBinding binding, Path portFile) {
        this.binding = binding;
        this.portFile = portFile;
    }

    public static Gateway start(ActorSystem<?> system, String host, int port, Path stateDir, NodeBackend source)
            throws IOException {
        return start(system, host, port, stateDir, null, source);
    }

    /** As above, plus the status page, /metrics and /api/v1/dashboard when {@code obs} is not null. */
    public static Gateway start(ActorSystem<?> system, String host, int port, Path stateDir, Observability obs,
                                NodeBackend source) throws IOException {
        String token = GatewayToken.loadOrCreate(stateDir);
        Route api = new ApiRoutes(token, source).route();
        Route route = obs == null ? api : new OperatorRoutes(token, obs).route().orElse(api);
        ServerBinding b;
        try {
            b = Http.get(system).newServerAt(host, port).bind(route).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("gateway cannot bind " + host + ":" + port + ": " + e.getMessage(), e);
        }
        Path pf = stateDir.resolve(PORT_FILE);
        Files.writeString(pf, b.localAddress().getHostString() + ":" + b.localAddress().getPort() + "\n");
        return new Gateway(b, pf);
    }

    public int port() {
        return binding.localAddress().getPort();
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(portFile);
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("gateway did not unbind within " + Duration.ofSeconds(10), e);
        }
    }

    /** Reads the "host:port" the gateway of the node at {@code stateDir} wrote, if it runs. */
    public static Optional<String> readAddress(Path stateDir) {
        try {
            return Optional.of(Files.readString(stateDir.resolve(PORT_FILE)).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
