package io.tierfs.simulator.config;

import io.tierfs.common.config.ConfigException;

/** A simulator configuration that cannot run; one line naming the key and what is wrong. */
public final class SimConfigException extends ConfigException {
    public SimConfigException(String message) {
        super(message);
    }

    public SimConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
