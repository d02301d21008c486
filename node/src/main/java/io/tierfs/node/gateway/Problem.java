package io.tierfs.node.gateway;

import java.util.List;

/** An RFC 7807 problem document (application/problem+json), so every error of the API has one shape. */
public record Problem(String type, String title, int status, String detail, List<String> errors) {
    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, List.of());
    }
}
