package io.tierfs.node.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tierfs.migration.LiveMover;
import io.tierfs.migration.TieredStorage;
import io.tierfs.migration.live.AccessHeat;
import io.tierfs.migration.policy.FileDecision;
import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.Policies;
import io.tierfs.migration.policy.Policy;
import io.tierfs.migration.policy.PolicyHistory;
import io.tierfs.migration.policy.StalePolicyVersionException;
import io.tierfs.migration.policy.doc.InvalidPolicyException;
import io.tierfs.migration.policy.doc.PolicyJson;
import io.tierfs.migration.policy.doc.Problem;
import io.tierfs.migration.policy.doc.Units;
import io.tierfs.migration.policy.explain.Explainer;
import io.tierfs.migration.policy.explain.Explanation;
import io.tierfs.migration.policy.plan.PrestageRequest;
import io.tierfs.node.gateway.ApiProblem;
import io.tierfs.node.gateway.PolicyBackend;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.vfs.Vfs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** The node's answers to the policy endpoints: the running policy, the live mover, the namespace's facts. */
public final class NodePolicyBackend implements PolicyBackend {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final LivePolicy policy;
    private final TieredStorage storage;
    private final LiveMover mover;
    private final Vfs vfs;
    private final NamespaceFacts facts;
    private final PrestageResolver resolver;
    private final Clock clock;
    private final AtomicLong prestageIds = new AtomicLong();

    public NodePolicyBackend(LivePolicy policy, TieredStorage storage, Vfs vfs, Clock clock) {
        this.policy = policy;
        this.storage = storage;
        this.mover = storage.liveMover().orElseThrow(() -> new IllegalStateException("no live mover"));
        this.vfs = vfs;
        this.facts = new NamespaceFacts(vfs);
        this.resolver = new PrestageResolver(vfs);
        this.clock = clock;
    }

    /** Pins and the mover's per-file facts. */
    public NamespaceFacts facts() {
        return facts;
    }

    @Override
    public Object policy() {
        return PolicyJson.tree(policy.current().doc());
    }

    @Override
    public Object putPolicy(String json) {
        try {
            Policy p = policy.apply(json);
            mover.kick();
            return PolicyJson.tree(p.doc());
        } catch (InvalidPolicyException e) {
            throw invalid(e.problems());
        } catch (StalePolicyVersionException e) {
            throw new ApiProblem(409, "Conflict", e.getMessage(), List.of(e.getMessage()));
        }
    }

    private static ApiProblem invalid(List<Problem> problems) {
        List<String> lines = problems.stream().map(p -> p.location() + ": " + p.message()).toList();
        return new ApiProblem(400, "Invalid Policy", "invalid policy (" + lines.size()
                + (lines.size() == 1 ? " problem): " : " problems): ") + String.join("; ", lines), lines);
    }

    /** The dry run's answer to a valid document. */
    public record Validation(boolean valid, List<String> problems, Explanation plan) {
    }

    @Override
    public Object validate(String json) {
        Policies.Check c = policy.check(json);
        if (!c.ok()) {
            throw invalid(c.problems());
        }
        return new Validation(true, List.of(), dryRun(c.policy(), mover.files()));
    }

    private Explanation dryRun(Policy p, List<FileInfo> files) {
        return Explainer.explain(p, p.tierStates(mover.fills()), files, List.of(), clock.millis(), 0);
    }

    /** One kept version. */
    public record Version(long version, long appliedAtMillis, JsonNode doc) {
    }

    @Override
    public Object history() {
        PolicyHistory h = policy.history();
        return h.entries().stream().map(e -> new Version(e.version(), e.appliedAtMillis(), PolicyJson.tree(e.doc())))
                .toList();
    }

    @Override
    public Object explain(String path) {
        List<FileInfo> files = mover.files();
        if (path != null) {
            long ino = vfs.rememberPath(path);
            files = mover.files().stream().filter(f -> f.ino() == ino).toList();
        }
        return dryRun(policy.current(), files);
    }

    /** GET /api/v1/files/{path}. */
    public record FileDetails(String path, long ino, long size, long uid, long gid, Map<String, Long> bytesByTier,
                              List<ChunkPlacement> chunks, double heat, long accesses, String residency,
                              String pinnedTo, String decidedBy, List<String> matchedRules,
                              Map<String, String> xattrs, long policyVersion) {
    }

    @Override
    public Object file(String path) {
        vfs.rememberPath(path);
        FileInfo f = facts.of(path);
        Policy p = policy.current();
        long now = clock.millis();
        AccessHeat.Stat st = storage.heatOf(f.ino()).orElse(null);
        FileInfo withHeat = st == null ? f : f.withHeat(st.heat(), st.accesses());
        FileDecision d = p.decide(withHeat, now);
        List<ChunkPlacement> chunks = storage.where(f.ino());
        Map<String, Long> byTier = new LinkedHashMap<>();
        for (String t : policy.tierNames()) {
            byTier.put(t, 0L);
        }
        for (ChunkPlacement c : chunks) {
            byTier.merge(c.tier(), c.length(), Long::sum);
        }
        double heat = st == null ? 0 : st.heat().valueAt(now, p.halfLifeMillis());
        return new FileDetails(path, f.ino(), f.size(), f.uid(), f.gid(), byTier, chunks, heat,
                st == null ? 0 : st.accesses(), d.residency().name().toLowerCase(java.util.Locale.ROOT),
                d.pinTier() >= 0 ? p.tierName(d.pinTier()) : null, d.residencyRule(), d.matchedRules(), f.xattrs(),
                p.version());
    }

    /** The answer to :pin and :unpin. */
    public record PinResult(String path, String pinnedTo, long policyVersion) {
    }

    @Override
    public Object pin(String path, String body) {
        JsonNode b = object(body, Set.of("tier"));
        JsonNode tier = b.get("tier");
        if (tier == null || !tier.isTextual()) {
            throw ApiProblem.badRequest("/tier: a tier name is required, e.g. {\"tier\": \"ssd\"}");
        }
        vfs.rememberPath(path);
        try {
            Policy p = policy.pin(path, tier.asText());
            mover.kick();
            return new PinResult(path, tier.asText(), p.version());
        } catch (InvalidPolicyException e) {
            throw invalid(e.problems());
        }
    }

    @Override
    public Object unpin(String path) {
        if (!policy.unpin(path)) {
            throw ApiProblem.notFound(path + " is not pinned");
        }
        mover.kick();
        return new PinResult(path, null, policy.current().version());
    }

    @Override
    public Object prestage(String body) {
        JsonNode b = object(body, Set.of("id", "paths", "tier", "deadline", "deadlineMillis"));
        List<String> problems = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        JsonNode ps = b.get("paths");
        if (ps == null || !ps.isArray()) {
            problems.add("/paths: an array of absolute paths or globs is required");
        } else {
            for (int i = 0; i < ps.size(); i++) {
                if (!ps.get(i).isTextual()) {
                    problems.add("/paths/" + i + ": must be a string");
                } else {
                    paths.add(ps.get(i).asText());
                }
            }
        }
        String tier = b.path("tier").isTextual() ? b.get("tier").asText() : null;
        if (tier == null) {
            problems.add("/tier: a tier name is required");
        }
        long now = clock.millis();
        long deadline = now + 3_600_000L;
        try {
            if (b.has("deadlineMillis")) {
                deadline = b.get("deadlineMillis").asLong();
            } else if (b.has("deadline")) {
                JsonNode d = b.get("deadline");
                deadline = now + (d.isNumber() ? (long) (d.asDouble() * 1000) : Units.parseDuration(d.asText()));
            }
        } catch (IllegalArgumentException e) {
            problems.add("/deadline: " + e.getMessage());
        }
        if (deadline <= now) {
            problems.add("/deadline: the deadline is already past");
        }
        String id = b.path("id").isTextual() ? b.get("id").asText()
                : "ps-" + Long.toString(now, 36) + "-" + prestageIds.incrementAndGet();
        PrestageRequest req = new PrestageRequest(id, paths, tier == null ? "" : tier, deadline);
        if (tier != null || !paths.isEmpty()) {
            for (Problem p : req.problems(policy.current())) {
                if (tier != null || !p.location().equals("/targetTier")) {
                    problems.add(p.location().replace("/targetTier", "/tier") + ": " + p.message());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiProblem(400, "Bad Request", "bad pre-stage request (" + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + "): " + String.join("; ", problems), problems);
        }
        resolver.resolve(paths);
        return mover.prestage(req);
    }

    @Override
    public Object prestageStatus(String id) {
        return mover.prestageStatus(id).orElseThrow(() -> ApiProblem.notFound("no pre-stage request '" + id + "'"));
    }

    @Override
    public Object cancelPrestage(String id) {
        return mover.cancelPrestage(id).orElseThrow(() -> ApiProblem.notFound("no pre-stage request '" + id + "'"));
    }

    @Override
    public Object migrations() {
        return mover.migrations();
    }

    /** A JSON object with only {@code allowed} fields; 400 listing every problem otherwise. */
    private static JsonNode object(String body, Set<String> allowed) {
        JsonNode n;
        try {
            n = body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()));
        }
        if (!(n instanceof ObjectNode)) {
            throw ApiProblem.badRequest("the body must be a JSON object");
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                unknown.add("/" + f + ": unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
        if (!unknown.isEmpty()) {
            throw new ApiProblem(400, "Bad Request", String.join("; ", unknown), unknown);
        }
        return n;
    }
}
