package io.tierfs.node.cli;

import java.nio.file.Path;

/** The --state option shared by commands: the node's state directory, ~/.tierfs by default. */
public final class StateOption {
    public static final String KEY = "--state";

    private StateOption() {
    }

    public static Path resolve(Args args) {
        String s = args.option(KEY, null);
        if (s != null) {
            return Path.of(s).toAbsolutePath().normalize();
        }
        String env = System.getenv("TIERFS_STATE");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".tierfs").toAbsolutePath().normalize();
    }
}
