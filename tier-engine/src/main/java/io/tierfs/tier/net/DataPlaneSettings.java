package io.tierfs.tier.net;

import com.typesafe.config.Config;

import java.time.Duration;

/**
 * Knobs of the {@link ChunkClient}: how long to wait for a TCP connection and for one reply, how often a transfer
 * that arrived corrupt (or whose connection dropped) is tried again, and how many connections to keep per peer.
 * Read from {@code tierfs.dataplane { connect-timeout, request-timeout, max-retries, connections-per-peer }}; any key
 * that is missing takes its default.
 */
public record DataPlaneSettings(Duration connectTimeout, Duration requestTimeout, int maxRetries,
                                int connectionsPerPeer) {
    public static final String PATH = "tierfs.dataplane";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_RETRIES = 3;
    /** Two: requests are multiplexed on each connection, a second one spreads the load over the event loops. */
    public static final int DEFAULT_CONNECTIONS_PER_PEER = 2;

    public DataPlaneSettings {
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative()
                || requestTimeout.isZero()) {
            throw new IllegalArgumentException(PATH + ": timeouts must be positive: " + connectTimeout + ", "
                    + requestTimeout);
        }
        if (maxRetries < 0 || connectionsPerPeer < 1) {
            throw new IllegalArgumentException(PATH + ": max-retries must be >= 0 and connections-per-peer >= 1: "
                    + maxRetries + ", " + connectionsPerPeer);
        }
    }

    /** 2 s to connect, 10 s per request, 3 retries, 2 connections per peer. */
    public static DataPlaneSettings defaults() {
        return new DataPlaneSettings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_RETRIES,
                DEFAULT_CONNECTIONS_PER_PEER);
    }

    /** The settings under {@value #PATH} of {@code config}, defaults for what is missing (also the whole block). */
    public static DataPlaneSettings fromConfig(Config config) {
        DataPlaneSettings d = defaults();
        if (!config.hasPath(PATH)) {
            return d;
        }
        Config c = config.getConfig(PATH);
        return new DataPlaneSettings(
                c.hasPath("connect-timeout") ? c.getDuration("connect-timeout") : d.connectTimeout,
                c.hasPath("request-timeout") ? c.getDuration("request-timeout") : d.requestTimeout,
                c.hasPath("max-retries") ? c.getInt("max-retries") : d.maxRetries,
                c.hasPath("connections-per-peer") ? c.getInt("connections-per-peer") : d.connectionsPerPeer);
    }

    public DataPlaneSettings withConnectTimeout(Duration t) {
        return new DataPlaneSettings(t, requestTimeout, maxRetries, connectionsPerPeer);
    }

    public DataPlaneSettings withRequestTimeout(Duration t) {
        return new DataPlaneSettings(connectTimeout, t, maxRetries, connectionsPerPeer);
    }

    public DataPlaneSettings withMaxRetries(int n) {
        return new DataPlaneSettings(connectTimeout, requestTimeout, n, connectionsPerPeer);
    }

    public DataPlaneSettings withConnectionsPerPeer(int n) {
        return new DataPlaneSettings(connectTimeout, requestTimeout, maxRetries, n);
    }
}
