package io.tierfs.node.gateway;

import java.util.List;

/**
 * An expected failure of an API call, rendered as a problem document: 400 for bad input (with every problem in
 * {@code errors}), 404 for an unknown file or request, 409 for a stale policy version.
 */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final String title;
    private final List<String> errors;

    public ApiProblem(int status, String title, String detail, List<String> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Bad Request", detail, List.of(detail));
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not Found", detail, List.of());
    }

    public Problem problem() {
        return new Problem("about:blank", title, status, getMessage(), errors);
    }

    public int status() {
        return status;
    }
}
