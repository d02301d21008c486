package io.tierfs.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierfs.node.gateway.Gateway;
import io.tierfs.node.gateway.GatewayToken;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The CLI's way to a running node: the gateway address and token it left in its state directory. */
public final class GatewayClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayClient(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Fails with a one-line message when no node runs on {@code stateDir}. */
    public static GatewayClient forStateDir(Path stateDir) {
        String addr = Gateway.readAddress(stateDir).orElseThrow(() -> new CliException(
                "no running TierFS node uses state directory " + stateDir + " (start one with `tierfs mount DIR`)"));
        String token;
        try {
            token = Files.readString(stateDir.resolve(GatewayToken.FILE)).trim();
        } catch (IOException e) {
            throw new CliException("cannot read the gateway token " + stateDir.resolve(GatewayToken.FILE) + ": " + e.getMessage());
        }
        return new GatewayClient("http://" + addr, token);
    }

    public JsonNode get(String path) {
        return exchange(path, HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    /**
     * {@code method} with a JSON {@code body} (null: none). A problem answer becomes a {@link CliException} with its
     * detail, which lists every problem on one line.
     */
    public JsonNode send(String method, String path, String body) {
        return send(method, path, body, Duration.ofSeconds(60));
    }

    /** As {@link #send(String, String, String)} waiting at most {@code timeout} for the answer. */
    public JsonNode send(String method, String path, String body, Duration timeout) {
        return exchange(path, HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Sends {@code req}; a non-2xx answer becomes a {@link CliException} with the problem's detail. */
    private JsonNode exchange(String path, HttpRequest req) {
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = resp.body().isEmpty() ? JSON.nullNode() : JSON.readTree(resp.body());
            if (resp.statusCode() / 100 != 2) {
                throw new CliException(parsed.has("detail") ? parsed.get("detail").asText() : resp.body());
            }
            return parsed;
        } catch (java.net.ConnectException e) {
            throw new CliException("the TierFS node at " + base + " does not answer (is it still running?)");
        } catch (IOException e) {
            throw new CliException("request to " + base + path + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /** A path of the namespace as a URL path (each segment percent-encoded, slashes kept). */
    public static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (String seg : path.split("/", -1)) {
            if (sb.length() > 0 || path.startsWith("/")) {
                sb.append('/');
            }
            sb.append(java.net.URLEncoder.encode(seg, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        }
        String s = sb.toString();
        return s.startsWith("//") ? s.substring(1) : s;
    }

    public static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
