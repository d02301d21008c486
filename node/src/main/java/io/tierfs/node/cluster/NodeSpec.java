package io.tierfs.node.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.tierfs.common.config.ConfigException;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one member of a TierFS cluster does ({@code tierfs { node { ... } } } in the file given to
 * {@code tierfs node --config}): its roles (DESIGN.md: metadata hosts namespace shards, data serves the tiers of
 * this machine, client mounts the namespace, gateway serves REST, metrics and the status page), where it mounts,
 * where its state lives and the gateway's port. Until the data plane exists (lent memory, issue 5) a client reads
 * and writes the tiers of its own machine, so {@code client} and {@code gateway} need {@code data}.
 */
public record NodeSpec(Set<String> roles, Optional<Path> mount, Optional<Path> state, String gatewayHost,
                       int gatewayPort, Optional<java.time.Duration> cacheTtl) {
    public static final Set<String> ROLES = Set.of("metadata", "data", "client", "gateway");
    private static final Set<String> KEYS = Set.of("roles", "mount", "state", "gateway-host", "gateway-port",
            "cache-ttl");

    public static NodeSpec of(Config raw) {
        Config n = raw.hasPath("tierfs.node") ? raw.getConfig("tierfs.node") : ConfigFactory.empty();
        for (String k : n.root().keySet()) {
            if (!KEYS.contains(k)) {
                throw new ConfigException("unknown config key 'tierfs.node." + k + "' (known: " + KEYS + ")");
            }
        }
        try {
            Set<String> roles = new LinkedHashSet<>(n.hasPath("roles") ? n.getStringList("roles")
                    : List.of("metadata", "data", "client", "gateway"));
            for (String r : roles) {
                if (!ROLES.contains(r)) {
                    throw new ConfigException("tierfs.node.roles: unknown role '" + r + "' (known: metadata, data, client, gateway)");
                }
            }
            if (roles.isEmpty()) {
                throw new ConfigException("tierfs.node.roles: a node needs at least one role");
            }
            if ((roles.contains("client") || roles.contains("gateway")) && !roles.contains("data")) {
                throw new ConfigException("tierfs.node.roles: 'client' and 'gateway' need 'data' on the same node "
                        + "(a client reads and writes the tiers of its own machine until the data plane exists)");
            }
            Optional<Path> mount = n.hasPath("mount") ? Optional.of(Path.of(n.getString("mount"))) : Optional.empty();
            if (mount.isPresent() && !roles.contains("client")) {
                throw new ConfigException("tierfs.node.mount is set but the node has no 'client' role");
            }
            int port = n.hasPath("gateway-port") ? n.getInt("gateway-port") : 0;
            if (port < 0 || port > 65535) {
                throw new ConfigException("tierfs.node.gateway-port: " + port + " is not a port (0 = any free one)");
            }
            return new NodeSpec(Set.copyOf(roles), mount,
                    n.hasPath("state") ? Optional.of(Path.of(n.getString("state"))) : Optional.empty(),
                    n.hasPath("gateway-host") ? n.getString("gateway-host") : "127.0.0.1", port,
                    n.hasPath("cache-ttl") ? Optional.of(positive(n.getDuration("cache-ttl"))) : Optional.empty());
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("config: " + e.getMessage(), e);
        }
    }

    private static java.time.Duration positive(java.time.Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException("tierfs.node.cache-ttl: must be positive, got " + d);
        }
        return d;
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    /** The user's config with the node's roles as the metadata node's cluster roles (shards go to "metadata"). */
    public Config withClusterRoles(Config raw) {
        return raw.withValue("tierfs.meta.roles", ConfigValueFactory.fromIterable(roles.stream().sorted().toList()));
    }
}
