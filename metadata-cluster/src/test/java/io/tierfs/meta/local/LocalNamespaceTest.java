package io.tierfs.meta.local;

import io.tierfs.common.Caller;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.NamespaceContract;
import io.tierfs.meta.api.Namespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LocalNamespaceTest extends NamespaceContract {
    private LocalNamespace ns;

    @Override
    protected long prepareRoot() {
        ns = new LocalNamespace(clock);
        return InodeRef.ROOT_INO;
    }

    @AfterEach
    void stop() {
        ns.close();
    }

    @Override
    protected Namespace ns() {
        return ns;
    }

    @Test
    void rootOwnerIsConfigurable() {
        try (LocalNamespace other = new LocalNamespace(clock, new Caller(5, 6))) {
            assertEquals(5, other.getattr(InodeRef.ROOT).uid());
            assertEquals(6, other.getattr(InodeRef.ROOT).gid());
        }
    }

    @Test
    void inodeCountIsExact() {
        long before = ns.inodeCount();
        ns.create(ROOT, "a", 0644, ALICE, true);
        ns.mkdir(ROOT, "d", 0755, ALICE);
        assertEquals(before + 2, ns.inodeCount());
        ns.unlink(ROOT, "a");
        ns.rmdir(ROOT, "d");
        assertEquals(before, ns.inodeCount());
    }
}
