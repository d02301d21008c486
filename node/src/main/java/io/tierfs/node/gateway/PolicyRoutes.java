package io.tierfs.node.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

/**
 * The policy endpoints under /api/v1 (the caller has checked the bearer token): policy, validate, history,
 * explain, files (details, :pin, :unpin), pre-stage, migrations and the OpenAPI document. Every failure is a problem
 * document: 400 bad input (every problem listed), 404 unknown, 409 stale version.
 */
public final class PolicyRoutes extends AllDirectives {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ContentType PROBLEM_JSON = ContentTypes.create(MediaTypes.applicationWithFixedCharset(
            "problem+json", HttpCharsets.UTF_8));
    private static final String OPENAPI = "/io/tierfs/node/gateway/openapi.json";

    private final PolicyBackend backend;

    public PolicyRoutes(PolicyBackend backend) {
        this.backend = backend;
    }

    /** The routes, relative to /api/v1. */
    public Route route() {
        Unmarshaller<org.apache.pekko.http.javadsl.model.HttpEntity, String> text = Unmarshaller.entityToString();
        return concat(
                path("policy", () -> concat(
                        get(() -> answer(backend::policy)),
                        put(() -> entity(text, body -> answer(() -> backend.putPolicy(body)))))),
                path("policy:validate", () -> post(() -> entity(text, body -> answer(() -> backend.validate(body))))),
                path(segment("policy").slash("history"), () -> get(() -> answer(backend::history))),
                path(segment("policy").slash("explain"), () -> get(() -> parameterOptional("path",
                        p -> answer(() -> backend.explain(p.orElse(null)))))),
                pathPrefix("files", () -> extractUnmatchedPath(rest -> {
                    String p = URLDecoder.decode(rest.isEmpty() ? "/" : rest, StandardCharsets.UTF_8);
                    if (p.endsWith(":pin")) {
                        String file = p.substring(0, p.length() - 4);
                        return post(() -> entity(text, body -> answer(() -> backend.pin(file, body))));
                    }
                    if (p.endsWith(":unpin")) {
                        String file = p.substring(0, p.length() - 6);
                        return post(() -> answer(() -> backend.unpin(file)));
                    }
                    return get(() -> answer(() -> backend.file(p)));
                })),
                path("prestage", () -> post(() -> entity(text, body -> answer(() -> backend.prestage(body))))),
                path(segment("prestage").slash(segment()), id -> concat(
                        get(() -> answer(() -> backend.prestageStatus(id))),
                        delete(() -> answer(() -> backend.cancelPrestage(id))))),
                path("migrations", () -> get(() -> answer(backend::migrations))),
                path("openapi.json", () -> get(() -> complete(HttpResponse.create().withEntity(
                        HttpEntities.create(ContentTypes.APPLICATION_JSON, openApi()))))));
    }

    private Route answer(Supplier<Object> call) {
        try {
            return completeOK(call.get(), Jackson.marshaller(JSON));
        } catch (ApiProblem e) {
            return problem(e.problem());
        } catch (FsException e) {
            int code = e.errno() == Errno.ENOENT ? 404 : 400;
            return problem(new Problem("about:blank", e.errno().name(), code, e.getMessage(), List.of()));
        } catch (IllegalArgumentException e) {
            return problem(new Problem("about:blank", "Bad Request", 400, e.getMessage(), List.of(e.getMessage())));
        }
    }

    static Route problemRoute(AllDirectives d, Problem p) {
        try {
            return d.complete(HttpResponse.create().withStatus(StatusCodes.get(p.status()))
                    .withEntity(HttpEntities.create(PROBLEM_JSON, JSON.writeValueAsBytes(p))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render problem " + p, e);
        }
    }

    private Route problem(Problem p) {
        return problemRoute(this, p);
    }

    static byte[] openApi() {
        try (InputStream in = PolicyRoutes.class.getResourceAsStream(OPENAPI)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + OPENAPI);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
