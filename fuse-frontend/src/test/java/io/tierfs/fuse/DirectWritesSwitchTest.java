package io.tierfs.fuse;

import io.tierfs.meta.local.LocalNamespace;
import io.tierfs.vfs.InMemoryDataStore;
import io.tierfs.vfs.Vfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@value TierFuse#DIRECT_WRITES_PROPERTY} switch on a real mount: off, write-only handles write through the
 * page cache again (what they wrote is read back without asking the file system); a value that is neither true
 * nor false is refused. The default (on) is {@code TierFuseMountTest.writeOnlyHandlesBypassThePageCache...}.
 */
class DirectWritesSwitchTest {
    @TempDir
    Path tmp;
    private LocalNamespace ns;
    private FuseMount mount;

    @AfterEach
    void unmount() throws Exception {
        System.clearProperty(TierFuse.DIRECT_WRITES_PROPERTY);
        MountTeardown.unmountThenClose(mount, ns);
    }

    @Test
    void switchedOffWriteOnlyHandlesFillThePageCache() throws IOException {
        System.setProperty(TierFuse.DIRECT_WRITES_PROPERTY, "false");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        ns = new LocalNamespace(Clock.systemUTC());
        InMemoryDataStore data = new InMemoryDataStore(1L << 30);
        Path mp = Files.createDirectory(tmp.resolve("mnt"));
        mount = FuseMount.mount(new TierFuse(new Vfs(ns, data, Clock.systemUTC())), mp, List.of(), true);
        byte[] content = FuseRequestSizeTest.random(256 * 1024, 5);
        Path f = mp.resolve("cached-write");
        Files.write(f, content);   // O_WRONLY
        long before = data.readCalls();
        assertArrayEquals(content, Files.readAllBytes(f));
        assertEquals(before, data.readCalls(), "the write-only handle's bytes stayed in the page cache");
    }

    @Test
    void aSettingThatIsNeitherTrueNorFalseIsRefused() {
        System.setProperty(TierFuse.DIRECT_WRITES_PROPERTY, "maybe");
        ns = new LocalNamespace(Clock.systemUTC());
        Vfs vfs = new Vfs(ns, new InMemoryDataStore(1 << 20), Clock.systemUTC());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TierFuse(vfs));
        assertTrue(e.getMessage().contains(TierFuse.DIRECT_WRITES_PROPERTY) && e.getMessage().contains("maybe"),
                e.getMessage());
    }
}
