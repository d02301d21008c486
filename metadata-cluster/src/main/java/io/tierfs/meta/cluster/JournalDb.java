package io.tierfs.meta.cluster;

import com.typesafe.config.Config;
import io.tierfs.common.config.ConfigException;

import java.nio.file.Path;

/**
 * The database that holds the metadata journal and snapshots, chosen from {@code tierfs.meta.journal-url}: embedded
 * H2 under the state directory when empty (one node: nothing to install), PostgreSQL for a cluster (every metadata
 * member must replay a directory from the same journal when its shard moves to it: STACK.md pitfall 2).
 */
record JournalDb(String url, String user, String password, String driver, String profile) {

    static JournalDb of(Path metaDir, Config meta) {
        String url = meta.getString("journal-url").trim();
        if (url.isEmpty()) {
            String h2 = "jdbc:h2:file:" + metaDir.resolve("journal").toString().replace('\\', '/')
                    + meta.getString("h2-options");
            return new JournalDb(h2, "sa", "", "org.h2.Driver", "slick.jdbc.H2Profile$");
        }
        String user = meta.getString("journal-user");
        String password = meta.getString("journal-password");
        if (url.startsWith("jdbc:postgresql:")) {
            return new JournalDb(url, user, password, "org.postgresql.Driver", "slick.jdbc.PostgresProfile$");
        }
        if (url.startsWith("jdbc:h2:")) { // a shared H2 file (several nodes in one JVM: tests and benchmarks)
            return new JournalDb(url, user.isEmpty() ? "sa" : user, password, "org.h2.Driver", "slick.jdbc.H2Profile$");
        }
        throw new ConfigException("tierfs.meta.journal-url: unsupported database '" + url
                + "' (empty for embedded H2, or jdbc:postgresql://HOST:PORT/DB)");
    }

    /** The URL with any password parameter elided, for logs. */
    String safeUrl() {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
