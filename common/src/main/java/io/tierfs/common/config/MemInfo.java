package io.tierfs.common.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads MemAvailable from /proc/meminfo (the figure the kernel itself uses for "free for new work"). */
public final class MemInfo {
    private MemInfo() {
    }

    public static long memAvailableBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().maxMemory();
        }
        return Runtime.getRuntime().maxMemory();
    }
}
