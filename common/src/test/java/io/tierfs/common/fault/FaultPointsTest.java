package io.tierfs.common.fault;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Arming, hit counting and the throw action (halt is proved by the metadata crash tests in a child JVM). */
class FaultPointsTest {

    @AfterEach
    void disarm() {
        FaultPoints.disarmAll();
    }

    @Test
    void unarmedPointsPass() {
        assertFalse(FaultPoints.armed());
        FaultPoints.hit("nothing.armed");
        assertEquals(0, FaultPoints.hits("nothing.armed"));
    }

    @Test
    void throwFiresOnceOnTheChosenHit() {
        FaultPoints.arm("step.two", FaultPoints.Action.THROW, 2);
        assertTrue(FaultPoints.armed());
        FaultPoints.hit("step.two");
        FaultPoints.hit("other.point");
        FaultPoints.Injected e = assertThrows(FaultPoints.Injected.class, () -> FaultPoints.hit("step.two"));
        assertEquals("step.two", e.point());
        FaultPoints.hit("step.two");   // fired once: passes again
        assertEquals(3, FaultPoints.hits("step.two"));
    }

    @Test
    void injectedIsNotCaughtAsAnException() {
        FaultPoints.arm("coordinator.dies", FaultPoints.Action.THROW);
        Throwable t = assertThrows(Throwable.class, () -> {
            try {
                FaultPoints.hit("coordinator.dies");
            } catch (RuntimeException e) {
                throw new AssertionError("handled like an ordinary failure", e);
            }
        });
        assertTrue(t instanceof FaultPoints.Injected, t.toString());
    }

    @Test
    void specsParseAndArm() {
        assertEquals(List.of(new FaultPoints.Entry("rename.after-put", FaultPoints.Action.THROW, 1),
                        new FaultPoints.Entry("rename.after-put", FaultPoints.Action.HALT, 2),
                        new FaultPoints.Entry("dir.persisted.intent-added", FaultPoints.Action.HALT, 1)),
                FaultPoints.parse("rename.after-put:throw, rename.after-put:halt@2,dir.persisted.intent-added"));
        FaultPoints.arm("a.b:throw@2,c.d:throw");
        FaultPoints.hit("a.b");
        assertThrows(FaultPoints.Injected.class, () -> FaultPoints.hit("c.d"));
        assertThrows(FaultPoints.Injected.class, () -> FaultPoints.hit("a.b"));
    }

    @Test
    void malformedSpecsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FaultPoints.parse("a.b:explode"));
        assertThrows(IllegalArgumentException.class, () -> FaultPoints.parse("a.b@zero"));
        assertThrows(IllegalArgumentException.class, () -> FaultPoints.parse("a.b@0"));
        assertThrows(IllegalArgumentException.class, () -> FaultPoints.parse("Bad Name"));
        assertThrows(IllegalArgumentException.class, () -> FaultPoints.arm("x", FaultPoints.Action.THROW, 0));
    }
}
