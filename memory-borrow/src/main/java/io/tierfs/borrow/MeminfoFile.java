package io.tierfs.borrow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a file in the format of Linux's {@code /proc/meminfo} ({@code "MemAvailable:   24166136 kB"}) on every call,
 * so that a test can drive a lender's memory pressure by rewriting the file. Every call re-reads: /proc/meminfo is
 * generated on read and costs a few microseconds.
 */
public final class MeminfoFile implements MemorySource {
    /** The kernel's file. */
    public static final Path PROC_MEMINFO = Path.of("/proc/meminfo");

    private final Path file;

    public MeminfoFile(Path file) {
        this.file = file;
    }

    /** The machine's own /proc/meminfo. */
    public static MeminfoFile proc() {
        return new MeminfoFile(PROC_MEMINFO);
    }

    public Path file() {
        return file;
    }

    @Override
    public long memAvailableBytes() {
        return field("MemAvailable");
    }

    @Override
    public long memTotalBytes() {
        return field("MemTotal");
    }

    /**
     * The value of line {@code name:} in bytes (the file gives kB, i.e. KiB).
     *
     * @throws MeminfoException if the file is missing or the line is absent or garbled
     */
    public long field(String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new MeminfoException("meminfo file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new MeminfoException("cannot read meminfo file " + file + ": " + e.getMessage(), e);
        }
        String prefix = name + ":";
        for (String line : lines) {
            if (line.startsWith(prefix)) {
                return parse(line, prefix);
            }
        }
        throw new MeminfoException("meminfo file " + file + " has no '" + prefix + "' line");
    }

    private long parse(String line, String prefix) {
        String[] parts = line.substring(prefix.length()).trim().split("\\s+");
        boolean kb = parts.length == 2 && parts[1].equals("kB");
        if (!(kb || parts.length == 1) || parts[0].isEmpty()) {
            throw garbled(line);
        }
        long value;
        try {
            value = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            throw garbled(line);
        }
        if (value < 0 || (kb && value > Long.MAX_VALUE / 1024)) {
            throw garbled(line);
        }
        return kb ? value * 1024 : value;
    }

    private MeminfoException garbled(String line) {
        return new MeminfoException("meminfo file " + file + ": garbled line '" + line.strip()
                + "' (expected '<name>: <number> kB')");
    }

    @Override
    public String toString() {
        return "meminfo " + file;
    }
}
