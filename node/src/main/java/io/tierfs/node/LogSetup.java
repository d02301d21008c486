package io.tierfs.node;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Points the rolling log file at the node's state directory. Logging may already be initialized by the time the
 * state directory is known (any class with a logger triggers it), so the configuration is read again once the
 * directory is set.
 */
public final class LogSetup {
    public static final String LOG_DIR_PROPERTY = "tierfs.log.dir";

    private LogSetup() {
    }

    public static void useDirectory(Path logDir) {
        System.setProperty(LOG_DIR_PROPERTY, logDir.toString());
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.reset();
            try {
                new ContextInitializer(ctx).autoConfig();
            } catch (JoranException e) {
                throw new IllegalStateException("cannot configure logging into " + logDir, e);
            }
        }
    }
}
