package io.tierfs.migration.policy;

import io.tierfs.migration.policy.doc.InvalidPolicyException;
import io.tierfs.migration.policy.doc.PolicyDoc;
import io.tierfs.migration.policy.doc.PolicyJson;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PolicyHistoryTest {
    static PolicyDoc doc(long version, String high) {
        return PolicyJson.read("""
                {"version": %d, "tiers": [{"name": "dram", "highWatermark": %s}, {"name": "hdd"}]}"""
                .formatted(version, high)).doc();
    }

    @Test
    void applyingTheCurrentVersionBumpsIt() {
        PolicyHistory h = PolicyHistory.start(Policies.defaults(), 10);
        assertEquals(0, h.current().version());
        PolicyHistory h1 = h.apply(doc(0, "0.8"), 20);
        assertEquals(1, h1.current().version());
        assertEquals(0.8, h1.current().tiers().get(0).highWatermark());
        PolicyHistory h2 = h1.apply(doc(1, "0.85"), 30);
        assertEquals(2, h2.current().version());
        assertEquals(3, h2.entries().size());
        assertEquals(new PolicyHistory.Entry(1, 20, h1.current().doc()), h2.entries().get(1));
    }

    @Test
    void aStaleBaseVersionIsATypedError() {
        PolicyHistory h = PolicyHistory.start(Policies.defaults(), 0).apply(doc(0, "0.8"), 1);
        StalePolicyVersionException e = assertThrows(StalePolicyVersionException.class, () -> h.apply(doc(0, "0.7"), 2));
        assertEquals(1, e.currentVersion());
        assertEquals(0, e.baseVersion());
        assertThrows(StalePolicyVersionException.class, () -> h.apply(doc(5, "0.7"), 2));
        assertEquals(0.8, h.current().tiers().get(0).highWatermark(), "the running policy stays as it was");
    }

    @Test
    void anInvalidDocumentChangesNothing() {
        PolicyHistory h = PolicyHistory.start(Policies.defaults(), 0);
        assertThrows(InvalidPolicyException.class, () -> h.apply(doc(0, "1.5"), 1));
        assertSame(Policies.defaults(), h.current());
        assertEquals(0, h.current().version());
        assertEquals(1, h.entries().size());
    }

    @Test
    void historyIsBounded() {
        PolicyHistory h = PolicyHistory.start(Policies.defaults(), 0);
        for (int i = 0; i < PolicyHistory.KEPT + 5; i++) {
            h = h.apply(doc(i, "0.9"), i);
        }
        assertEquals(PolicyHistory.KEPT, h.entries().size());
        assertEquals(PolicyHistory.KEPT + 5, h.entries().get(PolicyHistory.KEPT - 1).version());
    }
}
