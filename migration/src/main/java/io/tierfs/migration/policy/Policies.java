package io.tierfs.migration.policy;

import io.tierfs.migration.policy.doc.InvalidPolicyException;
import io.tierfs.migration.policy.doc.PolicyDoc;
import io.tierfs.migration.policy.doc.PolicyJson;
import io.tierfs.migration.policy.doc.PolicyValidator;
import io.tierfs.migration.policy.doc.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * From JSON text to a {@link Policy}: read, validate (every problem), compile. The entry point for the REST layer
 * (validate = {@link #check}, replace = {@link #parse} then {@link PolicyHistory#apply}) and for start-up.
 */
public final class Policies {
    /** Classpath resource with today's behaviour: dram/ssd/hdd, 90 %/70 %, LRU, no rules. */
    public static final String DEFAULT_RESOURCE = "/policy-default.json";

    /** The outcome of checking a document: the document (null if unreadable), the policy (null if invalid). */
    public record Check(PolicyDoc doc, Policy policy, List<Problem> problems) {
        public Check {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private Policies() {
    }

    /** Reads, validates and compiles {@code json}, collecting every problem instead of throwing. */
    public static Check check(String json) {
        return check(json, null);
    }

    /** As {@link #check(String)}, and the document's tiers must be {@code liveTiers} (null: not checked). */
    public static Check check(String json, List<String> liveTiers) {
        PolicyJson.Read read = PolicyJson.read(json);
        if (read.doc() == null) {
            return new Check(null, null, read.problems());
        }
        List<Problem> problems = new ArrayList<>(read.problems());
        Set<String> reported = read.problems().stream().map(Problem::location).collect(Collectors.toSet());
        problems.addAll(PolicyValidator.validate(read.doc(), reported));
        if (liveTiers != null && problems.stream().noneMatch(p -> p.location().startsWith("/tiers"))) {
            problems.addAll(PolicyValidator.checkAgainst(read.doc(), liveTiers));
        }
        if (!problems.isEmpty()) {
            return new Check(read.doc(), null, problems);
        }
        return new Check(read.doc(), Policy.compile(read.doc()), List.of());
    }

    /** The policy of {@code json}, or {@link InvalidPolicyException} with every problem. */
    public static Policy parse(String json) {
        Check c = check(json);
        if (!c.ok()) {
            throw new InvalidPolicyException(c.problems());
        }
        return c.policy();
    }

    /** The policy of a file (start-up); problems name the file. */
    public static Policy load(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read policy file " + file + ": " + e.getMessage(), e);
        }
        return parse(json);
    }

    /** Today's behaviour as a policy (the bundled {@code policy-default.json}); read once. */
    public static Policy defaults() {
        return DefaultHolder.POLICY;
    }

    private static final class DefaultHolder {
        static final Policy POLICY = readDefaults();
    }

    private static Policy readDefaults() {
        try (InputStream in = Policies.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + DEFAULT_RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULT_RESOURCE, e);
        }
    }
}
