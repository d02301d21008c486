package io.tierfs.migration.policy;

import io.tierfs.migration.policy.doc.PolicyDoc;

import java.util.ArrayList;
import java.util.List;

/**
 * The current policy and the documents applied before it, as an immutable value: {@link #apply} returns a new
 * history or throws, so the holder (REST gateway, mover) swaps it with one compare-and-set and the running policy
 * never sees a half-applied document. Keeps the last {@link #KEPT} versions.
 */
public final class PolicyHistory {
    public static final int KEPT = 32;

    /** One applied version. */
    public record Entry(long version, long appliedAtMillis, PolicyDoc doc) {
    }

    private final Policy current;
    private final List<Entry> entries;

    private PolicyHistory(Policy current, List<Entry> entries) {
        this.current = current;
        this.entries = entries;
    }

    /** A history that starts with {@code initial} (its own version kept as is). */
    public static PolicyHistory start(Policy initial, long nowMillis) {
        return new PolicyHistory(initial, List.of(new Entry(initial.version(), nowMillis, initial.doc())));
    }

    public Policy current() {
        return current;
    }

    /** Oldest first; the last one is the current policy. */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * Applies {@code doc}, written against version {@code doc.version()}: if that is still the current version the
     * document is compiled and becomes version current + 1.
     *
     * @throws StalePolicyVersionException if the document is based on another version
     * @throws io.tierfs.migration.policy.doc.InvalidPolicyException with every problem if it is not valid
     */
    public PolicyHistory apply(PolicyDoc doc, long nowMillis) {
        if (doc.version() != current.version()) {
            throw new StalePolicyVersionException(current.version(), doc.version());
        }
        Policy next = Policy.compile(doc.withVersion(current.version() + 1));
        List<Entry> e = new ArrayList<>(entries);
        e.add(new Entry(next.version(), nowMillis, next.doc()));
        while (e.size() > KEPT) {
            e.remove(0);
        }
        return new PolicyHistory(next, List.copyOf(e));
    }
}
