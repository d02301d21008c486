package io.tierfs.node.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The bearer token of the gateway: created at first start in a file of mode 0600, so that only the node's owner
 * (and root) can call the API, then read by the CLI.
 */
public final class GatewayToken {
    public static final String FILE = "gateway.token";

    private GatewayToken() {
    }

    /** Reads the token under {@code stateDir}, creating it (mode 0600) if it does not exist yet. */
    public static String loadOrCreate(Path stateDir) throws IOException {
        Path f = stateDir.resolve(FILE);
        if (Files.exists(f)) {
            return Files.readString(f, StandardCharsets.US_ASCII).trim();
        }
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        Path tmp = stateDir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return token;
    }

    /** Constant-time comparison of an Authorization header against the token. */
    public static boolean matches(String token, String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.US_ASCII));
    }
}
