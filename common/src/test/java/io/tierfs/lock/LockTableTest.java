package io.tierfs.lock;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tierfs.lock.HeldLock.TO_EOF;
import static io.tierfs.lock.LockType.READ;
import static io.tierfs.lock.LockType.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LockTableTest {
    private static final long INO = 42;
    private final LockTable<String> t = new LockTable<>();
    private final LockOwner a = new LockOwner("A", 1);
    private final LockOwner a2 = new LockOwner("A", 2);
    private final LockOwner b = new LockOwner("B", 1);

    private LockTable.Result<String> lock(LockOwner o, LockType type, long s, long e, boolean wait, String h) {
        return t.lock(INO, LockRequest.posix(o, 100, type, s, e), wait, h);
    }

    private static List<String> ranges(List<HeldLock> locks) {
        return locks.stream().map(h -> h.owner().member() + h.owner().id() + ":" + h.type() + "[" + h.start() + ","
                + (h.end() == TO_EOF ? "EOF" : h.end()) + "]").toList();
    }

    @Test
    void overlappingLocksOfOneOwnerMergeAndUnlockSplits() {
        lock(a, WRITE, 0, 9, false, null);
        lock(a, WRITE, 10, 19, false, null); // adjacent
        lock(a, WRITE, 5, 14, false, null); // inside
        assertEquals(List.of("A1:WRITE[0,19]"), ranges(t.posixLocks(INO)));
        t.unlock(INO, a, 5, 9);
        assertEquals(List.of("A1:WRITE[0,4]", "A1:WRITE[10,19]"), ranges(t.posixLocks(INO)));
        t.unlock(INO, a, 0, TO_EOF);
        assertEquals(List.of(), t.posixLocks(INO));
        assertEquals(0, t.fileCount());
    }

    @Test
    void lockToEndOfFileSplitsAndMerges() {
        lock(a, READ, 100, TO_EOF, false, null);
        t.unlock(INO, a, 200, 299);
        assertEquals(List.of("A1:READ[100,199]", "A1:READ[300,EOF]"), ranges(t.posixLocks(INO)));
        lock(a, READ, 150, 350, false, null);
        assertEquals(List.of("A1:READ[100,EOF]"), ranges(t.posixLocks(INO)));
    }

    @Test
    void sameOwnerChangesTypeOfPartOfItsRange() {
        lock(a, READ, 0, 99, false, null);
        lock(a, WRITE, 40, 59, false, null); // upgrade of the middle
        assertEquals(List.of("A1:READ[0,39]", "A1:WRITE[40,59]", "A1:READ[60,99]"), ranges(t.posixLocks(INO)));
        lock(a, READ, 40, 59, false, null); // downgrade merges back
        assertEquals(List.of("A1:READ[0,99]"), ranges(t.posixLocks(INO)));
    }

    @Test
    void readersShareWritersConflict() {
        assertEquals(LockTable.Status.GRANTED, lock(a, READ, 0, 9, false, null).status());
        assertEquals(LockTable.Status.GRANTED, lock(b, READ, 5, 14, false, null).status());
        LockTable.Result<String> w = lock(b, WRITE, 0, 9, false, null); // upgrade blocked by A's read
        assertEquals(LockTable.Status.DENIED, w.status());
        assertEquals(a, w.conflict().owner());
        assertEquals(LockTable.Status.GRANTED, lock(b, WRITE, 10, 19, false, null).status()); // only B's own lock there
        assertEquals(LockTable.Status.GRANTED, lock(a2, READ, 20, 29, false, null).status());
    }

    @Test
    void getLockAnswersTheFirstConflictingLock() {
        lock(a, WRITE, 50, 59, false, null);
        lock(b, READ, 10, 19, false, null);
        var c = t.test(INO, LockRequest.posix(a2, 1, WRITE, 0, TO_EOF));
        assertEquals(b, c.orElseThrow().owner());
        assertEquals(10, c.get().start());
        assertEquals(19, c.get().end());
        assertTrue(t.test(INO, LockRequest.posix(a2, 1, READ, 0, 40)).isEmpty()); // read vs read
        assertTrue(t.test(INO, LockRequest.posix(a, 1, WRITE, 50, 59)).isEmpty()); // own lock
        assertEquals(a, t.test(INO, LockRequest.posix(a2, 1, READ, 0, TO_EOF)).orElseThrow().owner());
    }

    @Test
    void waitersAreGrantedInOrderWhenFreed() {
        lock(a, WRITE, 0, 99, false, null);
        assertEquals(LockTable.Status.QUEUED, lock(b, WRITE, 0, 9, true, "b").status());
        assertEquals(LockTable.Status.QUEUED, lock(a2, WRITE, 5, 14, true, "a2").status());
        assertEquals(List.of(), t.unlock(INO, a, 50, 99)); // frees nothing they wait for
        var g = t.unlock(INO, a, 0, 49);
        assertEquals(List.of("b"), g.stream().map(LockTable.Grant::handle).toList()); // a2 conflicts with b now
        assertEquals(List.of("a2"), t.unlock(INO, b, 0, 9).stream().map(LockTable.Grant::handle).toList());
        assertEquals(List.of("A2:WRITE[5,14]"), ranges(t.posixLocks(INO)));
    }

    @Test
    void readWaitersAreGrantedTogether() {
        lock(a, WRITE, 0, 9, false, null);
        lock(b, READ, 0, 9, true, "b");
        lock(a2, READ, 0, 9, true, "a2");
        assertEquals(2, t.unlock(INO, a, 0, 9).size());
    }

    @Test
    void aRepeatedWaitKeepsItsPlaceWithTheNewHandle() {
        lock(a, WRITE, 0, 9, false, null);
        lock(b, WRITE, 0, 9, true, "first");
        lock(a2, WRITE, 0, 9, true, "other");
        lock(b, WRITE, 0, 9, true, "again");
        assertEquals(2, t.waiting(INO).size());
        assertEquals(List.of("again"), t.unlock(INO, a, 0, 9).stream().map(LockTable.Grant::handle).toList());
    }

    @Test
    void downgradeGrantsWaitingReaders() {
        lock(a, WRITE, 0, 9, false, null);
        lock(b, READ, 0, 9, true, "b");
        var r = lock(a, READ, 0, 9, false, null);
        assertEquals(List.of("b"), r.granted().stream().map(LockTable.Grant::handle).toList());
    }

    @Test
    void cancelAndUnlockAllWithdrawWaiters() {
        lock(a, WRITE, 0, 9, false, null);
        lock(b, WRITE, 0, 9, true, "b");
        lock(a2, WRITE, 0, 9, true, "a2");
        assertEquals(1, t.cancel(INO, b));
        assertEquals(List.of(a2), t.waiting(INO).stream().map(LockRequest::owner).toList());
        lock(a, WRITE, 20, 29, false, null);
        assertEquals(List.of(), t.unlockAll(INO, a2)); // a2 closed its file: its wait is gone
        assertEquals(List.of(), t.waiting(INO));
        t.unlockAll(INO, a);
        assertEquals(0, t.fileCount());
    }

    @Test
    void flockIsWholeFileAndApartFromPosixLocks() {
        var ex = t.lock(INO, LockRequest.flock(a, 1, WRITE), false, null);
        assertEquals(LockTable.Status.GRANTED, ex.status());
        assertEquals(LockTable.Status.GRANTED, lock(b, WRITE, 0, TO_EOF, false, null).status()); // other namespace
        assertEquals(LockTable.Status.DENIED, t.lock(INO, LockRequest.flock(b, 1, READ), false, null).status());
        assertEquals(LockTable.Status.QUEUED, t.lock(INO, LockRequest.flock(b, 1, READ), true, "b").status());
        assertEquals(LockTable.Status.QUEUED, t.lock(INO, LockRequest.flock(a2, 1, READ), true, "a2").status());
        var g = t.lock(INO, LockRequest.flock(a, 1, READ), false, null); // downgrade to shared
        assertEquals(2, g.granted().size());
        assertEquals(3, t.flockLocks(INO).size());
        t.unlockFlock(INO, a);
        t.unlockFlock(INO, b);
        t.unlockFlock(INO, a2);
        assertEquals(List.of(), t.flockLocks(INO));
        assertEquals(1, t.posixLocks(INO).size());
    }

    @Test
    void releasingAMemberDropsItsLocksAndWaitersAndGrantsOthers() {
        lock(a, WRITE, 0, 9, false, null);
        t.lock(INO, LockRequest.flock(a2, 1, WRITE), false, null);
        t.lock(INO + 1, LockRequest.posix(a, 1, READ, 0, 0), false, null);
        lock(b, WRITE, 0, 9, true, "b-posix");
        t.lock(INO, LockRequest.flock(b, 1, WRITE), true, "b-flock");
        t.lock(INO + 1, LockRequest.posix(b, 1, WRITE, 0, 0), true, "b-other");
        lock(a2, READ, 100, 200, false, null);
        lock(new LockOwner("A", 3), WRITE, 150, 150, true, "a3"); // a waiter of A: dropped
        assertEquals(5, t.countOf("A")); // 4 locks, 1 waiter
        var g = t.releaseMember("A");
        assertEquals(List.of("b-flock", "b-other", "b-posix"),
                g.stream().map(LockTable.Grant::handle).sorted().toList());
        assertEquals(0, t.countOf("A"));
        assertEquals(3, t.countOf("B"));
    }
}
