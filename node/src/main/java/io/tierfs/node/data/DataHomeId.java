package io.tierfs.node.data;

import com.typesafe.config.Config;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;

/**
 * The name under which a cluster member is the data home of files: kept in its state directory (file
 * {@value #FILE}), because it names where the data is (this state directory's tiers), not the member's current
 * network address. A member restarted on another port, or whose Pekko port is 0, keeps serving its files under the
 * same name. Made once as {@code host-port-<8 hex>} from the configured Pekko address (readable in logs), the random
 * part keeping two state directories that ever used the same address apart.
 */
public final class DataHomeId {
    public static final String FILE = "data-home-id";

    private DataHomeId() {
    }

    /** The id of the member whose state directory is {@code stateRoot}, made and persisted on first use. */
    public static String load(Path stateRoot, Config raw) {
        Path f = stateRoot.resolve(FILE);
        try {
            if (Files.exists(f)) {
                String id = Files.readString(f, StandardCharsets.UTF_8).trim();
                if (id.isEmpty()) {
                    throw FsException.of(Errno.EIO, "%s is empty: restore it or remove it (files created before "
                            + "would then be unreachable from other members)", f);
                }
                return id;
            }
            String id = prefix(raw) + "-" + String.format("%08x", new SecureRandom().nextInt());
            Path tmp = stateRoot.resolve(FILE + ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
            return id;
        } catch (IOException e) {
            throw new FsException(Errno.EIO, "cannot read or write " + f + ": " + e.getMessage(), e);
        }
    }

    private static String prefix(Config raw) {
        String key = "pekko.remote.artery.canonical.";
        if (raw.hasPath(key + "hostname") && raw.hasPath(key + "port") && raw.getInt(key + "port") > 0) {
            return raw.getString(key + "hostname") + "-" + raw.getInt(key + "port");
        }
        return "member";
    }
}
