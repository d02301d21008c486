package io.tierfs.node.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierfs.common.FsException;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

import java.nio.charset.StandardCharsets;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

/**
 * The REST API of a node under /api/v1, behind the bearer token: every answer is JSON, every error an RFC 7807
 * problem document, so that the CLI and scripts handle one shape.
 */
final class ApiRoutes extends AllDirectives {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ContentType PROBLEM_JSON = ContentTypes.create(MediaTypes.applicationWithFixedCharset(
            "problem+json", org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8));

    private final String token;
    private final NodeBackend source;

    ApiRoutes(String token, NodeBackend source) {
        this.token = token;
        this.source = source;
    }

    Route route() {
        return headerValueByName("Authorization", auth -> GatewayToken.matches(token, auth)
                ? api()
                : problem(StatusCodes.UNAUTHORIZED, Problem.of(401, "Unauthorized", "wrong bearer token")))
                .orElse(problem(StatusCodes.UNAUTHORIZED, Problem.of(401, "Unauthorized",
                        "missing 'Authorization: Bearer <token>' (the token is in the state directory's " + GatewayToken.FILE + ")")));
    }

    private Route api() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> concat(
                path("status", () -> get(() -> completeOK(source.status(), Jackson.marshaller(JSON)))),
                path("nodes", () -> get(() -> completeOK(source.members(), Jackson.marshaller(JSON)))),
                path(segment("nodes").slash(segment()).slash("reclaim"), node -> post(() ->
                        parameterOptional("deadline", d -> {
                            java.time.Duration deadline;
                            try {
                                deadline = d.map(t -> com.typesafe.config.ConfigFactory.parseString("d = \"" + t + "\"")
                                        .getDuration("d")).orElse(java.time.Duration.ofSeconds(30));
                            } catch (com.typesafe.config.ConfigException e) {
                                return problem(StatusCodes.BAD_REQUEST, Problem.of(400, "Bad Request",
                                        "deadline takes a duration like 30s or 2m, got '" + d.orElse("") + "'"));
                            }
                            return onComplete(java.util.concurrent.CompletableFuture
                                    .supplyAsync(() -> source.reclaim(node, deadline)), t -> t.isSuccess()
                                    ? completeOK(t.get(), Jackson.marshaller(JSON))
                                    : handleFs(() -> {
                                        Throwable c = t.failed().get();
                                        while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
                                            c = c.getCause();
                                        }
                                        if (c instanceof FsException fe) {
                                            throw fe;
                                        }
                                        throw new IllegalStateException("reclaim of " + node + " failed", c);
                                    }));
                        }))),
                path(segment("nodes").slash(segment()).slash("reopen"), node -> post(() ->
                        handleFs(() -> completeOK(source.reopen(node), Jackson.marshaller(JSON))))),
                path("tiers", () -> get(() -> completeOK(source.status().tiers(), Jackson.marshaller(JSON)))),
                source.policy() == null ? reject() : new PolicyRoutes(source.policy()).route(),
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

    /** Runs {@code r}; a typed file-system error becomes a problem answer with a status that fits its errno. */
    private Route handleFs(java.util.function.Supplier<Route> r) {
        try {
            return r.get();
        } catch (FsException e) {
            int code = switch (e.errno()) {
                case ENOENT -> 404;
                case ENOTSUP -> 501;
                case ETIMEDOUT -> 504;
                default -> 400;
            };
            return problem(StatusCodes.get(code), Problem.of(code, e.errno().name(), e.getMessage()));
        }
    }

    private Route problem(org.apache.pekko.http.javadsl.model.StatusCode status, Problem p) {
        try {
            return complete(HttpResponse.create().withStatus(status)
                    .withEntity(HttpEntities.create(PROBLEM_JSON, JSON.writeValueAsBytes(p))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render problem " + p, e);
        }
    }
}
