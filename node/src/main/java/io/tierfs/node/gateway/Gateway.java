package io.tierfs.node.gateway;

import io.tierfs.common.FsException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

/**
 * The node's REST gateway (pekko-http). Binds 127.0.0.1 by default and requires the bearer token of
 * {@link GatewayToken} on every call; writes the bound port to {@code gateway.port} in the state directory so that
 * the CLI finds the node without configuration.
 */
public final class Gateway extends AllDirectives implements AutoCloseable {
    public static final String PORT_FILE = "gateway.port";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ContentType PROBLEM_JSON = ContentTypes.create(MediaTypes.applicationWithFixedCharset(
            "problem+json", org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8));

    private final ServerBinding binding;
    private final Path portFile;

    private Gateway(ServerBinding binding, Path portFile) {
        this.binding = binding;
        this.portFile = portFile;
    }

    public static Gateway start(ActorSystem<?> system, String host, int port, Path stateDir, NodeBackend source)
            throws IOException {
        String token = GatewayToken.loadOrCreate(stateDir);
        Gateway routes = new Gateway(null, null);
        Route route = routes.routes(token, source);
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

    Route routes(String token, NodeBackend source) {
        return headerValueByName("Authorization", auth -> GatewayToken.matches(token, auth)
                ? api(source)
                : problem(StatusCodes.UNAUTHORIZED, Problem.of(401, "Unauthorized", "wrong bearer token")))
                .orElse(problem(StatusCodes.UNAUTHORIZED, Problem.of(401, "Unauthorized",
                        "missing 'Authorization: Bearer <token>' (the token is in the state directory's " + GatewayToken.FILE + ")")));
    }

    private Route api(NodeBackend source) {
        return pathPrefix("api", () -> pathPrefix("v1", () -> concat(
                path("status", () -> get(() -> completeOK(source.status(), Jackson.marshaller(JSON)))),
                path("tiers", () -> get(() -> completeOK(source.status().tiers(), Jackson.marshaller(JSON)))),
                path(segment("mover").slash("demote-all"), () -> post(() ->
                        completeOKWithFuture(java.util.concurrent.CompletableFuture.supplyAsync(source::demoteAll),
                                Jackson.marshaller(JSON)))),
                pathPrefix("where", () -> get(() -> extractUnmatchedPath(rest -> {
                    String p = rest.isEmpty() ? "/" : rest;
                    try {
                        return completeOK(source.where(java.net.URLDecoder.decode(p, StandardCharsets.UTF_8)),
                                Jackson.marshaller(JSON));
                    } catch (FsException e) {
                        int code = e.errno() == io.tierfs.common.Errno.ENOENT ? 404 : 400;
                        return problem(StatusCodes.get(code), Problem.of(code, e.errno().name(), e.getMessage()));
                    }
                })))))).orElse(problem(StatusCodes.NOT_FOUND, Problem.of(404, "Not Found", "no such endpoint")));
    }

    private Route problem(org.apache.pekko.http.javadsl.model.StatusCode status, Problem p) {
        try {
            return complete(HttpResponse.create().withStatus(status)
                    .withEntity(HttpEntities.create(PROBLEM_JSON, JSON.writeValueAsBytes(p))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render problem " + p, e);
        }
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
