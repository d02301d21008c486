package io.tierfs.meta.state;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenameLeaseTest {

    @Test
    void freeSameHolderAndExpiredTakeover() {
        assertTrue(RenameLease.FREE.grants(5, 0, 0));
        RenameLease held = new RenameLease(5, 1024, 10_000);
        assertTrue(held.grants(5, 0, 9_000), "another driver of the same rename");
        assertTrue(held.grants(5, 0, 20_000), "the same rename after expiry (its re-drive)");
        assertFalse(held.grants(6, 0, 9_000));
        assertFalse(held.grants(6, 0, 20_000), "expired, but nobody asked to take it over");
        assertFalse(held.grants(6, 5, 9_999), "takeover before expiry");
        assertTrue(held.grants(6, 5, 10_000));
        assertFalse(held.grants(6, 4, 20_000), "takeover of a holder that is not the current one");
        assertEquals(new RenameLease.LockAnswer(false, 5, 1024, false), held.busy(9_000));
        assertEquals(new RenameLease.LockAnswer(false, 5, 1024, true), held.busy(10_000));
    }
}
