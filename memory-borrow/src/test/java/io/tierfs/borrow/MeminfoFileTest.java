package io.tierfs.borrow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeminfoFileTest {
    @TempDir
    Path dir;

    @Test
    void readsTheMachinesOwnMeminfo() {
        MeminfoFile m = MeminfoFile.proc();
        long total = m.memTotalBytes();
        long avail = m.memAvailableBytes();
        assertTrue(total > 64L << 20, "MemTotal " + total);
        assertTrue(avail > 0 && avail <= total, "MemAvailable " + avail + " of " + total);
        assertEquals(0, avail % 1024, "kB are converted to bytes");
    }

    @Test
    void followsATestWrittenFileAcrossRewrites() throws Exception {
        Path f = dir.resolve("meminfo");
        Files.writeString(f, "MemTotal:       16384000 kB\nMemFree:  100 kB\nMemAvailable:    8192000 kB\n");
        MeminfoFile m = new MeminfoFile(f);
        assertEquals(8_192_000L * 1024, m.memAvailableBytes());
        assertEquals(16_384_000L * 1024, m.memTotalBytes());
        Files.writeString(f, "MemTotal:       16384000 kB\nMemAvailable:    1024 kB\n");
        assertEquals(1024L * 1024, m.memAvailableBytes(), "every call reads the file again");
    }

    @Test
    void missingFileIsATypedError() {
        MeminfoException e = assertThrows(MeminfoException.class,
                () -> new MeminfoFile(dir.resolve("nope")).memAvailableBytes());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void missingOrGarbledLinesAreTypedErrors() throws Exception {
        Path f = dir.resolve("meminfo");
        Files.writeString(f, "MemTotal: 100 kB\n");
        MeminfoException none = assertThrows(MeminfoException.class, () -> new MeminfoFile(f).memAvailableBytes());
        assertTrue(none.getMessage().contains("no 'MemAvailable:' line"), none.getMessage());
        for (String bad : new String[]{"MemAvailable: lots kB", "MemAvailable:", "MemAvailable: -5 kB",
                "MemAvailable: 5 MB", "MemAvailable: 99999999999999999999 kB"}) {
            Files.writeString(f, bad + "\n");
            MeminfoException e = assertThrows(MeminfoException.class, () -> new MeminfoFile(f).memAvailableBytes(), bad);
            assertTrue(e.getMessage().contains("garbled line"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line");
        }
    }
}
