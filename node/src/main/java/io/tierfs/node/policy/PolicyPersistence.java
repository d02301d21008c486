package io.tierfs.node.policy;

import io.tierfs.migration.policy.PolicyHistory;

import java.util.Optional;

/** Where the policy history is kept durably: the cluster's journal on a node, a directory in tools and tests. */
public interface PolicyPersistence {
    /** Stores {@code h}; returns once it is durable. */
    void save(PolicyHistory h);

    /** The stored history, empty when none was ever saved. */
    Optional<PolicyHistory> load();
}
