package io.tierfs.node.gateway;

/**
 * The policy side of the API (docs/policy.md, "REST"): what {@link PolicyRoutes} asks of the node. Answers are
 * plain objects Jackson renders; failures are {@link ApiProblem}s (or FsExceptions for namespace errors). Kept
 * apart from {@link NodeBackend} so that each side is tested without the other.
 */
public interface PolicyBackend {
    /** The running policy document (canonical JSON), with its version. */
    Object policy();

    /** Replaces the policy; the body's {@code version} must be the current one (else 409). */
    Object putPolicy(String json);

    /** Every problem of {@code json} (400), or the dry-run plan of the proposed policy on the node's files. */
    Object validate(String json);

    /** The kept versions, oldest first. */
    Object history();

    /** The dry run of the running policy, for one file ({@code path}) or all the files the mover sees (null). */
    Object explain(String path);

    /** A file's chunks, tiers, heat, pin and the policy's decision. */
    Object file(String path);

    /** Pins the file to the tier named in the body ({@code {"tier": "ssd"}}). */
    Object pin(String path, String body);

    Object unpin(String path);

    /** Starts a pre-stage ({@code {"paths": [...], "tier": "dram", "deadline": "10m"}}). */
    Object prestage(String body);

    Object prestageStatus(String id);

    Object cancelPrestage(String id);

    /** Moves running, queued and recently finished, with their state. */
    Object migrations();
}
