package io.tierfs.node.data;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The durable record of a data home's chunk claims (which member holds which claim unit of the files homed here):
 * an append-only file of checksummed records, "unit of inode is held by member" and "inode deleted", after a first
 * record naming the unit's size, read back whole at start and rewritten without the dead records. A log written
 * with a larger unit (a multiple) is read into the units of the current one; a smaller one is refused, as a unit
 * would have several holders. Records are written (into the page cache) before a claim
 * is answered, so they survive the member's process being killed; {@link #force} makes them survive the machine
 * too, which a file's fsync on its home calls, as for the data itself. A torn last record (the machine stopped
 * mid-write) is ignored: its claim was never answered as durable.
 * <p>
 * Not thread-safe: {@link ChunkClaims} serializes its calls.
 */
final class ClaimLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClaimLog.class);
    static final String FILE = "chunk-claims.log";
    /** The chunk index of a record that drops every claim of its inode. */
    private static final long DROP = -1;
    /** The chunk index of the first record, whose member field is the claim unit in bytes (inode 0). */
    private static final long UNIT = -2;

    private final Path file;
    private FileChannel ch;

    private ClaimLog(Path file, FileChannel ch) {
        this.file = file;
        this.ch = ch;
    }

    /**
     * Opens (or creates) the log in {@code dir}, putting the live claims it holds into {@code into}, by units of
     * {@code unit} bytes.
     *
     * @param unitWithoutHeader the unit of a log without a unit record (written before there was one: the chunk size)
     * @throws FsException EINVAL when the log's unit is not a multiple of {@code unit}
     */
    static ClaimLog open(Path dir, long unit, long unitWithoutHeader, Map<Long, Map<Long, String>> into) {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            if (Files.exists(file)) {
                Map<Long, Map<Long, String>> read = new HashMap<>();
                long was = readInto(file, read);
                regroup(file, read, was < 0 ? unitWithoutHeader : was, unit, into);
            }
            Path tmp = dir.resolve(FILE + ".tmp");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, record(0, UNIT, Long.toString(unit)));
                for (Map.Entry<Long, Map<Long, String>> e : into.entrySet()) {
                    for (Map.Entry<Long, String> c : e.getValue().entrySet()) {
                        writeFully(out, record(e.getKey(), c.getKey(), c.getValue()));
                    }
                }
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new ClaimLog(file, ch);
        } catch (IOException e) {
            throw new FsException(Errno.EIO, "cannot open the chunk claims " + file + ": " + e.getMessage(), e);
        }
    }

    /** Puts claims of units of {@code was} bytes into {@code into} as claims of units of {@code unit} bytes. */
    private static void regroup(Path file, Map<Long, Map<Long, String>> read, long was, long unit,
                                Map<Long, Map<Long, String>> into) {
        if (was == unit) {
            into.putAll(read);
            return;
        }
        if (was < unit || was % unit != 0) {
            throw new FsException(Errno.EINVAL, file + " records claims of " + was + "-byte units: the claim unit "
                    + "(tierfs.dataplane.claim-unit, at most the chunk size) can become " + was + " or a power-of-two "
                    + "fraction of it, not " + unit + " (a unit would have several holders)");
        }
        long f = was / unit;
        read.forEach((ino, m) -> {
            Map<Long, String> units = into.computeIfAbsent(ino, k -> new HashMap<>());
            m.forEach((c, member) -> {
                for (long u = c * f; u < (c + 1) * f; u++) {
                    units.put(u, member);
                }
            });
        });
        log.info("{}: claims of {}-byte units read as {}-byte units", file, was, unit);
    }

    /** Reads the live claims; returns the unit the log names, -1 when it names none. */
    private static long readInto(Path file, Map<Long, Map<Long, String>> into) throws IOException {
        long unit = -1;
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
        while (all.remaining() >= 8) {
            int len = all.getInt();
            int crc = all.getInt();
            if (len < 16 || len > all.remaining()) {
                log.warn("{}: a torn record at byte {} ({} bytes left) ignored", file, all.position() - 8,
                        all.remaining());
                return unit;
            }
            ByteBuffer body = all.slice(all.position(), len);
            all.position(all.position() + len);
            CRC32C c = new CRC32C();
            c.update(body.duplicate());
            if ((int) c.getValue() != crc) {
                log.warn("{}: a record with a bad checksum at byte {} ends the log", file, all.position() - len - 8);
                return unit;
            }
            long ino = body.getLong();
            long chunk = body.getLong();
            byte[] m = new byte[body.remaining()];
            body.get(m);
            if (chunk == DROP) {
                into.remove(ino);
            } else if (chunk == UNIT) {
                unit = Long.parseLong(new String(m, StandardCharsets.UTF_8));
            } else {
                into.computeIfAbsent(ino, k -> new HashMap<>()).put(chunk, new String(m, StandardCharsets.UTF_8));
            }
        }
        return unit;
    }

    private static ByteBuffer record(long ino, long chunk, String member) {
        byte[] m = member == null ? new byte[0] : member.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(16 + m.length).putLong(ino).putLong(chunk).put(m).flip();
        CRC32C c = new CRC32C();
        c.update(body.duplicate());
        return ByteBuffer.allocate(8 + body.remaining()).putInt(body.remaining()).putInt((int) c.getValue())
                .put(body).flip();
    }

    private static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** Records that {@code member} holds claim unit {@code unit} of {@code ino}. */
    void claimed(long ino, long unit, String member) {
        append(record(ino, unit, member), "claim of unit " + unit + " of inode " + ino);
    }

    /** Records that every claim of {@code ino} ended (the file was deleted). */
    void dropped(long ino) {
        append(record(ino, DROP, null), "end of the claims of inode " + ino);
    }

    private void append(ByteBuffer rec, String what) {
        try {
            writeFully(ch, rec);
        } catch (IOException e) {
            throw new FsException(Errno.EIO, "cannot record the " + what + " in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Makes every record written so far durable. */
    void force() {
        try {
            ch.force(false);
        } catch (IOException e) {
            throw new FsException(Errno.EIO, "cannot make the chunk claims " + file + " durable: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException e) {
            log.warn("closing {} failed: {}", file, e.toString());
        }
    }
}
