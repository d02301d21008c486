package io.tierfs.node.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The operator's routes, tried before the API: the status page and its assets (GET /, /static/...; no token, they
 * hold no data: the page reads the API with the token the operator gives it in the URL fragment), Prometheus
 * text at GET /metrics (no token, as scrapers expect; the gateway binds loopback), and GET /api/v1/dashboard
 * (token) with the figures the page and `tierfs top` show beyond /api/v1/status.
 */
final class OperatorRoutes extends AllDirectives {
    static final String PAGE_DIR = "/io/tierfs/node/status/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ContentType PROMETHEUS = ContentTypes.parse("text/plain; version=0.0.4; charset=UTF-8");
    private static final Map<String, ContentType> ASSETS = Map.of(
            "status.js", ContentTypes.create(MediaTypes.APPLICATION_JAVASCRIPT, org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8),
            "status.css", ContentTypes.create(MediaTypes.TEXT_CSS, org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8));

    private final String token;
    private final Observability obs;

    OperatorRoutes(String token, Observability obs) {
        this.token = token;
        this.obs = obs;
    }

    Route route() {
        return concat(
                pathSingleSlash(() -> get(() -> asset("index.html", ContentTypes.TEXT_HTML_UTF8))),
                pathPrefix("static", () -> path(name -> get(() -> ASSETS.containsKey(name)
                        ? asset(name, ASSETS.get(name))
                        : complete(StatusCodes.NOT_FOUND, "no such asset")))),
                path("metrics", () -> get(() -> complete(HttpResponse.create()
                        .withEntity(HttpEntities.create(PROMETHEUS, obs.prometheusText().getBytes(java.nio.charset.StandardCharsets.UTF_8)))))),
                path(org.apache.pekko.http.javadsl.server.PathMatchers.segment("api").slash("v1").slash("dashboard"),
                        () -> get(() -> headerValueByName("Authorization", auth -> GatewayToken.matches(token, auth)
                                ? respondWithHeader(CacheControl.create(CacheDirectives.NO_STORE),
                                        () -> completeOK(obs.dashboard(), Jackson.marshaller(JSON)))
                                : reject()))));
    }

    private Route asset(String name, ContentType type) {
        return respondWithHeader(CacheControl.create(CacheDirectives.NO_CACHE),
                () -> complete(HttpResponse.create().withEntity(HttpEntities.create(type, read(name)))));
    }

    private static byte[] read(String name) {
        try (InputStream in = OperatorRoutes.class.getResourceAsStream(PAGE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("status page asset " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read status page asset " + name, e);
        }
    }
}
