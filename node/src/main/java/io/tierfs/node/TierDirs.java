package io.tierfs.node;

import io.tierfs.common.config.ConfigException;
import io.tierfs.common.config.TierFsConfig;
import io.tierfs.common.config.TierSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Creates the tier directories and refuses to start when one is not a writable directory. */
public final class TierDirs {
    private TierDirs() {
    }

    public static void prepare(TierFsConfig config) {
        for (TierSpec t : config.tiers()) {
            Path p = t.path();
            try {
                Files.createDirectories(p);
            } catch (IOException e) {
                throw new ConfigException("tier '" + t.name() + "': cannot create directory " + p + ": " + e);
            }
            if (!Files.isDirectory(p)) {
                throw new ConfigException("tier '" + t.name() + "': " + p + " is not a directory");
            }
            Path probe = p.resolve(".tierfs-probe-" + ProcessHandle.current().pid());
            try {
                Files.writeString(probe, "probe");
                Files.delete(probe);
            } catch (IOException e) {
                throw new ConfigException("tier '" + t.name() + "': directory " + p + " is not writable (" + e.getMessage() + ")");
            }
        }
    }
}
