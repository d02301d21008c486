package io.tierfs.fuse;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelHeldNamesTest {
    private final AtomicLong now = new AtomicLong();
    private final KernelHeldNames names = new KernelHeldNames(Duration.ofSeconds(61), 3, now::get);

    @Test
    void aNameAnsweredBeforeIsGoneOnceThenPlainlyAbsent() {
        names.answered("/ckpt/step-1");
        assertTrue(names.goneSinceAnswered("/ckpt/step-1"), "first miss: the kernel may hold it");
        assertFalse(names.goneSinceAnswered("/ckpt/step-1"), "second miss: the kernel looked it up again");
    }

    @Test
    void aNameNeverAnsweredIsPlainlyAbsent() {
        assertFalse(names.goneSinceAnswered("/never"));
        assertFalse(names.goneSinceAnswered(null));
    }

    @Test
    void aNameAnsweredAgainIsHeldAgain() {
        names.answered("/a");
        assertTrue(names.goneSinceAnswered("/a"));
        names.answered("/a"); // created again, and the kernel told
        assertTrue(names.goneSinceAnswered("/a"));
    }

    @Test
    void namesExpireWithTheKernelsEntryTimeout() {
        names.answered("/old");
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        names.answered("/young");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertFalse(names.goneSinceAnswered("/old"), "the kernel dropped it after its entry timeout");
        assertTrue(names.goneSinceAnswered("/young"));
    }

    @Test
    void atMostTheBoundIsRemembered() {
        for (int i = 0; i < 10; i++) {
            names.answered("/f" + i);
        }
        int held = 0;
        for (int i = 0; i < 10; i++) {
            held += names.goneSinceAnswered("/f" + i) ? 1 : 0;
        }
        assertTrue(held <= 3, "held " + held + " names, bound 3");
    }
}
