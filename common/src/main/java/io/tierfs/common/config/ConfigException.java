package io.tierfs.common.config;

/** A configuration that TierFS refuses to start with; the message is meant for the operator, one line. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
