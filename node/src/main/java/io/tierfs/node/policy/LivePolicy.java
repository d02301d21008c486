package io.tierfs.node.policy;

import io.tierfs.common.config.TierFsConfig;
import io.tierfs.common.config.TierSpec;
import io.tierfs.migration.policy.Policies;
import io.tierfs.migration.policy.Policy;
import io.tierfs.migration.policy.PolicyHistory;
import io.tierfs.migration.policy.doc.Action;
import io.tierfs.migration.policy.doc.HeatSettings;
import io.tierfs.migration.policy.doc.InvalidPolicyException;
import io.tierfs.migration.policy.doc.Match;
import io.tierfs.migration.policy.doc.MoverSettings;
import io.tierfs.migration.policy.doc.OrderKind;
import io.tierfs.migration.policy.doc.PolicyDoc;
import io.tierfs.migration.policy.doc.Rule;
import io.tierfs.migration.policy.doc.TierPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The running policy of a node: a {@link PolicyHistory} in an {@link AtomicReference}, swapped with one
 * compare-and-set after the new history is persisted, so the mover (which reads {@link #current()} every round)
 * never sees a half-applied document and a crash never loses an acknowledged change. Pins are rules of the policy
 * itself (see {@link #pin}), so they are versioned, persisted and explained like every other rule.
 */
public final class LivePolicy {
    private static final Logger log = LoggerFactory.getLogger(LivePolicy.class);
    /** Name prefix of the rules {@link #pin} writes. */
    public static final String PIN_RULE = "pin:";

    private final AtomicReference<PolicyHistory> history;
    private final PolicyPersistence store;
    private final List<String> tierNames;
    private final Clock clock;
    private final Object writeLock = new Object();

    private LivePolicy(PolicyHistory h, PolicyPersistence store, List<String> tierNames, Clock clock) {
        this.history = new AtomicReference<>(h);
        this.store = store;
        this.tierNames = List.copyOf(tierNames);
        this.clock = clock;
    }

    /**
     * The persisted policy (STATE/policy here; the cluster's journal on a node, see the overload), else the node's
     * default (today's behaviour on the configured tiers).
     * A {@code tierfs.policy.file} replaces it as the next version when its content differs from the running one.
     */
    public static LivePolicy open(TierFsConfig cfg, Clock clock) {
        return open(cfg, clock, new PolicyStore(cfg.stateDir()));
    }

    /** As {@link #open(TierFsConfig, Clock)}, with the history kept in {@code store} (the cluster, on a node). */
    public static LivePolicy open(TierFsConfig cfg, Clock clock, PolicyPersistence store) {
        List<String> names = cfg.tiers().stream().map(TierSpec::name).toList();
        PolicyHistory h = store.load().orElseGet(() -> PolicyHistory.start(nodeDefault(cfg), clock.millis()));
        Optional<Path> file = cfg.policyFile();
        if (file.isPresent()) {
            String json;
            try {
                json = Files.readString(file.get());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read policy file " + file.get(), e);
            }
            Policies.Check c = Policies.check(json, names);
            if (!c.ok()) {
                throw new InvalidPolicyException(c.problems());
            }
            if (!c.doc().withVersion(0).equals(h.current().doc().withVersion(0))) {
                h = h.apply(c.doc().withVersion(h.current().version()), clock.millis());
                log.info("policy: loaded {} as version {}", file.get(), h.current().version());
            }
        }
        Policies.Check running = Policies.check(io.tierfs.migration.policy.doc.PolicyJson.write(h.current().doc()), names);
        if (!running.ok()) {
            throw new InvalidPolicyException(running.problems());
        }
        store.save(h);
        return new LivePolicy(h, store, names, clock);
    }

    /** Today's behaviour on the node's own tiers: their watermarks, LRU, no rules, no promotion. */
    public static Policy nodeDefault(TierFsConfig cfg) {
        PolicyDoc d = Policies.defaults().doc();
        List<TierPolicy> tiers = cfg.tiers().stream().map(t -> new TierPolicy(t.name(), null, t.highWatermark(),
                t.lowWatermark(), OrderKind.LRU, null, null)).toList();
        return Policy.compile(new PolicyDoc(0, "the node's default: its tiers' watermarks, LRU, no rules", tiers,
                d.heat() == null ? HeatSettings.DEFAULT : d.heat(), d.mover() == null ? MoverSettings.DEFAULT : d.mover(),
                List.of()));
    }

    public Policy current() {
        return history.get().current();
    }

    public PolicyHistory history() {
        return history.get();
    }

    public List<String> tierNames() {
        return tierNames;
    }

    /** Checks {@code json} against the node's tiers without applying it. */
    public Policies.Check check(String json) {
        return Policies.check(json, tierNames);
    }

    /**
     * Applies {@code json} (written against the current version).
     *
     * @throws InvalidPolicyException with every problem
     * @throws io.tierfs.migration.policy.StalePolicyVersionException if it is based on another version
     */
    public Policy apply(String json) {
        Policies.Check c = check(json);
        if (!c.ok()) {
            throw new InvalidPolicyException(c.problems());
        }
        return update(cur -> c.doc());
    }

    /**
     * Pins {@code path} to {@code tier}: a rule {@code pin:PATH} at the front of the rules (replacing an earlier
     * pin of the same path), matching exactly that path. Returns the new policy.
     */
    public Policy pin(String path, String tier) {
        if (!tierNames.contains(tier)) {
            throw new InvalidPolicyException(List.of(new io.tierfs.migration.policy.doc.Problem("/tier",
                    "unknown tier '" + tier + "' (tiers: " + String.join(", ", tierNames) + ")")));
        }
        return update(doc -> {
            List<Rule> rules = new ArrayList<>();
            rules.add(new Rule(PIN_RULE + path, "pinned with tierfs pin", exactly(path),
                    new Action(null, tier, false, null)));
            doc.rules().stream().filter(r -> !(PIN_RULE + path).equals(r.name())).forEach(rules::add);
            return new PolicyDoc(doc.version(), doc.description(), doc.tiers(), doc.heat(), doc.mover(), rules);
        });
    }

    /** Removes the pin of {@code path}; false if it had none. */
    public boolean unpin(String path) {
        boolean[] had = new boolean[1];
        update(doc -> {
            List<Rule> rules = doc.rules().stream().filter(r -> !(PIN_RULE + path).equals(r.name())).toList();
            had[0] = rules.size() != doc.rules().size();
            return new PolicyDoc(doc.version(), doc.description(), doc.tiers(), doc.heat(), doc.mover(), rules);
        });
        return had[0];
    }

    private static Match exactly(String path) {
        StringBuilder glob = new StringBuilder();
        for (char ch : path.toCharArray()) {
            if ("*?[]{}\\".indexOf(ch) >= 0) {
                glob.append('\\');
            }
            glob.append(ch);
        }
        Match all = Match.ALL;
        return new Match(List.of(glob.toString()), all.size(), all.uids(), all.gids(), all.mtimeAge(), all.atimeAge(),
                all.heat(), all.accesses(), all.xattrs());
    }

    /** Applies {@code change} of the current document (its version is the base), persists, then swaps. */
    private Policy update(UnaryOperator<PolicyDoc> change) {
        synchronized (writeLock) {
            PolicyHistory h = history.get();
            PolicyDoc next = change.apply(h.current().doc());
            PolicyHistory applied = h.apply(next, clock.millis());
            store.save(applied);
            if (!history.compareAndSet(h, applied)) {
                throw new IllegalStateException("the policy changed outside its write lock");
            }
            return applied.current();
        }
    }
}
