package io.tierfs.node.policy;

import io.tierfs.meta.client.PolicyVault;
import io.tierfs.migration.policy.PolicyHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The policy history in the cluster: a {@link PolicyVault} entity in the metadata journal (the shared database of
 * a cluster), so that the policy is where the namespace is rather than on one node's disk. A state directory that
 * still holds a policy from before (STATE/policy) is imported on the first load.
 */
public final class ClusterPolicyStore implements PolicyPersistence {
    private static final Logger log = LoggerFactory.getLogger(ClusterPolicyStore.class);

    private final PolicyVault vault;
    private final PolicyStore legacy;

    public ClusterPolicyStore(PolicyVault vault, PolicyStore legacy) {
        this.vault = vault;
        this.legacy = legacy;
    }

    @Override
    public void save(PolicyHistory h) {
        vault.save(PolicyStore.toJson(h));
    }

    @Override
    public Optional<PolicyHistory> load() {
        Optional<String> stored = vault.load();
        if (stored.isPresent()) {
            try {
                return PolicyStore.fromJson(stored.get());
            } catch (IOException e) {
                throw new UncheckedIOException("the policy history in the cluster journal does not parse: "
                        + e.getMessage(), e);
            }
        }
        Optional<PolicyHistory> old = legacy.load();
        old.ifPresent(h -> log.info("policy: importing version {} from {} into the cluster", h.current().version(),
                legacy.dir()));
        return old;
    }
}
