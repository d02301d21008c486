package io.tierfs.node.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tierfs.migration.policy.Policies;
import io.tierfs.migration.policy.Policy;
import io.tierfs.migration.policy.PolicyHistory;
import io.tierfs.migration.policy.doc.PolicyDoc;
import io.tierfs.migration.policy.doc.PolicyJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The policy history on disk, under {@code STATE/policy/}: {@code current.json} (the running document, canonical
 * form) and {@code history.json} (the kept versions). Each file is written to a temporary file, forced, and renamed
 * over the old one, then the directory is forced: a crash leaves the old or the new file, never half of one.
 */
public final class PolicyStore implements PolicyPersistence {
    static final String DIR = "policy";
    static final String CURRENT = "current.json";
    static final String HISTORY = "history.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public PolicyStore(Path stateDir) {
        this.dir = stateDir.resolve(DIR);
    }

    public Path dir() {
        return dir;
    }

    /** Writes the history and the current document durably. */
    @Override
    public void save(PolicyHistory h) {
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve(HISTORY), toJson(h));
            writeAtomically(dir.resolve(CURRENT), PolicyJson.write(h.current().doc()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist the policy in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The history as one JSON document: the kept versions, oldest first, with when each was applied. */
    static String toJson(PolicyHistory h) {
        ArrayNode entries = JSON.createArrayNode();
        for (PolicyHistory.Entry e : h.entries()) {
            ObjectNode n = entries.addObject();
            n.put("version", e.version());
            n.put("appliedAtMillis", e.appliedAtMillis());
            n.set("doc", PolicyJson.tree(e.doc()));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(entries);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render the policy history", e);
        }
    }

    /** The history {@link #toJson} wrote, rebuilt by replaying its versions; empty for an empty list. */
    static Optional<PolicyHistory> fromJson(String json) throws IOException {
        JsonNode entries = JSON.readTree(json);
        PolicyHistory h = null;
        for (JsonNode e : entries) {
            PolicyDoc doc = Policies.parse(e.get("doc").toString()).doc();
            long at = e.path("appliedAtMillis").asLong();
            if (h == null) {
                h = PolicyHistory.start(Policy.compile(doc), at);
            } else {
                h = h.apply(doc.withVersion(h.current().version()), at);
            }
        }
        return Optional.ofNullable(h);
    }

    /**
     * The persisted history, rebuilt by replaying the kept versions (each applied on the one before); empty when
     * nothing was persisted. A history that does not replay falls back to {@code current.json} alone.
     */
    @Override
    public Optional<PolicyHistory> load() {
        Path hist = dir.resolve(HISTORY);
        Path cur = dir.resolve(CURRENT);
        try {
            if (Files.exists(hist)) {
                Optional<PolicyHistory> h = fromJson(Files.readString(hist, StandardCharsets.UTF_8));
                if (h.isPresent()) {
                    return h;
                }
            }
            if (Files.exists(cur)) {
                return Optional.of(PolicyHistory.start(Policies.load(cur), Files.getLastModifiedTime(cur).toMillis()));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the persisted policy in " + dir + ": " + e.getMessage(), e);
        }
    }

    static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + target + " cannot rename atomically", e);
        }
        try (FileChannel d = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
