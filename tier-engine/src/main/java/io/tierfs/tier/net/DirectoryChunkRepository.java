package io.tierfs.tier.net;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A {@link ChunkRepository} with one file per chunk: {@code root/<owner>/<2 hex digits of ino>/<ino>.<chunk>.<gen>}.
 * Meant for a tmpfs root (e.g. {@code /dev/shm/tierfs-lend-NODE}): the page cache is the memory, and deleting a
 * chunk's file gives its pages back to the OS at once. Holes stay holes (no pages) until written.
 * <p>
 * Accounting: per owner, the sum of logical chunk lengths, rebuilt from the directory at construction so that a
 * restarted server knows what it holds. Mutations of one chunk are serialized by a striped lock, and the growth
 * they cause is admitted by the {@link QuotaGate} under the owner's account lock before anything is written, then
 * reconciled with the file's real length afterwards (so a failed write cannot leave the account wrong). Reads take
 * no lock, as on a local file.
 */
public final class DirectoryChunkRepository implements ChunkRepository {
    private static final Logger log = LoggerFactory.getLogger(DirectoryChunkRepository.class);
    private static final int STRIPES = 256;
    private static final int CRC_BUF = 1 << 20;

    private final Path root;
    private final QuotaGate gate;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();

    /** One owner's used bytes; its monitor serializes the owner's admissions. */
    private static final class Account {
        private long used;

        synchronized long get() {
            return used;
        }

        synchronized void add(long delta) {
            used += delta;
        }
    }

    public DirectoryChunkRepository(Path root, QuotaGate gate) {
        this.root = root.toAbsolutePath();
        this.gate = gate;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create chunk repository directory " + this.root, e);
        }
        recount();
    }

    public Path root() {
        return root;
    }

    /** Rebuilds the accounts from the chunk files under the root. */
    private void recount() {
        long sum = 0;
        int chunks = 0;
        try (Stream<Path> owners = Files.list(root)) {
            for (Path dir : (Iterable<Path>) owners::iterator) {
                String owner = dir.getFileName().toString();
                if (!Files.isDirectory(dir) || !validOwner(owner)) {
                    log.warn("chunk repository {}: ignoring stray entry {}", root, dir);
                    continue;
                }
                Map<ChunkKey, Long> held = list(owner);
                long bytes = held.values().stream().mapToLong(Long::longValue).sum();
                account(owner).add(bytes);
                sum += bytes;
                chunks += held.size();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan chunk repository " + root, e);
        }
        total.set(sum);
        if (chunks > 0) {
            log.info("chunk repository {}: found {} chunks, {} bytes", root, chunks, sum);
        }
    }

    private static boolean validOwner(String owner) {
        try {
            ChunkKey.checkOwner(owner);
            return true;
        } catch (FsException e) {
            return false;
        }
    }

    Path file(ChunkKey k) {
        return root.resolve(k.owner()).resolve(k.bucket()).resolve(k.fileName());
    }

    private Account account(String owner) {
        return accounts.computeIfAbsent(owner, o -> new Account());
    }

    private ReentrantLock lock(ChunkKey k) {
        ReentrantLock l = stripes[Math.floorMod(k.hashCode(), STRIPES)];
        l.lock();
        return l;
    }

    @Override
    public int read(ChunkKey k, long pos, ByteBuffer dst) {
        checkPosition(pos);
        try (FileChannel ch = FileChannel.open(file(k), StandardOpenOption.READ)) {
            int total = 0;
            while (dst.hasRemaining()) {
                int n = ch.read(dst, pos + total);
                if (n < 0) {
                    return total == 0 ? -1 : total;
                }
                total += n;
            }
            return total; // 0 for an empty dst, wherever pos is, as FileChannel reports it
        } catch (NoSuchFileException e) {
            throw new NoSuchChunkException(k);
        } catch (IOException e) {
            throw failure("read", k, e);
        }
    }

    @Override
    public void write(ChunkKey k, long pos, ByteBuffer src) {
        checkPosition(pos);
        ReentrantLock l = lock(k);
        try {
            Path f = file(k);
            long old = sizeOrMinusOne(f);
            long end = src.hasRemaining() ? pos + src.remaining() : 0; // an empty write extends nothing
            long growth = Math.max(0, end - Math.max(old, 0));
            admit(k, growth);
            long oldLen = Math.max(old, 0);
            try {
                if (old < 0) {
                    Files.createDirectories(f.getParent());
                }
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
                    long p = pos;
                    while (src.hasRemaining()) {
                        p += ch.write(src, p);
                    }
                }
            } catch (IOException e) {
                reconcile(k, f, oldLen, growth);
                throw failure("write", k, e);
            }
            reconcile(k, f, oldLen, growth);
        } finally {
            l.unlock();
        }
    }

    @Override
    public long size(ChunkKey k) {
        try {
            return Files.size(file(k));
        } catch (NoSuchFileException e) {
            throw new NoSuchChunkException(k);
        } catch (IOException e) {
            throw failure("size", k, e);
        }
    }

    @Override
    public void truncate(ChunkKey k, long size) {
        checkPosition(size);
        ReentrantLock l = lock(k);
        try {
            Path f = file(k);
            long old = sizeOrMinusOne(f);
            if (old < 0) {
                throw new NoSuchChunkException(k);
            }
            if (old == size) {
                return;
            }
            long growth = Math.max(0, size - old);
            admit(k, growth);
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(size);
            } catch (IOException e) {
                reconcile(k, f, old, growth);
                throw failure("truncate", k, e);
            }
            reconcile(k, f, old, growth);
        } finally {
            l.unlock();
        }
    }

    @Override
    public void delete(ChunkKey k) {
        ReentrantLock l = lock(k);
        try {
            Path f = file(k);
            long old = sizeOrMinusOne(f);
            if (old < 0) {
                return;
            }
            Files.deleteIfExists(f);
            account(k.owner()).add(-old);
            total.addAndGet(-old);
        } catch (IOException e) {
            throw failure("delete", k, e);
        } finally {
            l.unlock();
        }
    }

    @Override
    public Map<ChunkKey, Long> list(String owner) {
        Path dir = root.resolve(ChunkKey.checkOwner(owner));
        Map<ChunkKey, Long> out = new HashMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> buckets = Files.list(dir)) {
            for (Path b : (Iterable<Path>) buckets::iterator) {
                if (!Files.isDirectory(b)) {
                    log.warn("chunk repository {}: ignoring stray file {}", root, b);
                    continue;
                }
                try (Stream<Path> files = Files.list(b)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        ChunkKey k = ChunkKey.parse(owner, f.getFileName().toString());
                        if (k == null || !k.bucket().equals(b.getFileName().toString())) {
                            log.warn("chunk repository {}: ignoring stray file {}", root, f);
                            continue;
                        }
                        long size = sizeOrMinusOne(f);
                        if (size >= 0) { // else deleted while we listed
                            out.put(k, size);
                        }
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return out; // the owner was deleted while we listed
        } catch (IOException e) {
            throw new FsException(Errno.EIO, "cannot list chunks of " + owner + " under " + root + ": " + e, e);
        }
        return out;
    }

    @Override
    public long crc32c(ChunkKey k, long length) {
        checkPosition(length);
        try (FileChannel ch = FileChannel.open(file(k), StandardOpenOption.READ)) {
            CRC32C crc = new CRC32C();
            ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(CRC_BUF, Math.max(length, 1)));
            long pos = 0;
            boolean eof = false;
            while (pos < length) {
                buf.clear().limit((int) Math.min(buf.capacity(), length - pos));
                while (!eof && buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        eof = true;
                    }
                }
                while (buf.hasRemaining()) {
                    buf.put((byte) 0);
                }
                buf.flip();
                crc.update(buf);
                pos += buf.limit();
            }
            return crc.getValue();
        } catch (NoSuchFileException e) {
            throw new NoSuchChunkException(k);
        } catch (IOException e) {
            throw failure("crc32c", k, e);
        }
    }

    @Override
    public long usedBytes(String owner) {
        Account a = accounts.get(ChunkKey.checkOwner(owner));
        return a == null ? 0 : a.get();
    }

    @Override
    public long usedBytes() {
        return total.get();
    }

    @Override
    public void deleteOwner(String owner) {
        for (ChunkKey k : list(owner).keySet()) {
            delete(k);
        }
        Path dir = root.resolve(owner);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            // a write for this owner raced with its deletion: what it wrote stays, and stays accounted
            log.warn("chunk repository {}: owner {} got new chunks while being deleted: {}", root, owner, e.toString());
        } catch (IOException e) {
            throw new FsException(Errno.EIO, "cannot delete owner " + owner + " under " + root + ": " + e, e);
        }
    }

    /** Asks the gate for {@code growth} bytes of {@code k}'s owner and books them; ENOSPC if refused. */
    private void admit(ChunkKey k, long growth) {
        if (growth <= 0) {
            return;
        }
        Account a = account(k.owner());
        synchronized (a) {
            if (!gate.admit(k.owner(), growth)) {
                throw FsException.of(Errno.ENOSPC, "owner %s may not grow by %d bytes (chunk %s, holding %d)",
                        k.owner(), growth, k, a.get());
            }
            a.add(growth);
        }
        total.addAndGet(growth);
    }

    /** Corrects the account after a mutation that booked {@code booked} bytes on a chunk that was {@code oldLen} long. */
    private void reconcile(ChunkKey k, Path f, long oldLen, long booked) {
        long now = Math.max(sizeOrMinusOne(f), 0);
        long delta = (now - oldLen) - booked;
        if (delta != 0) {
            account(k.owner()).add(delta);
            total.addAndGet(delta);
        }
    }

    private static long sizeOrMinusOne(Path f) {
        try {
            return Files.size(f);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new FsException(Errno.EIO, "cannot stat chunk file " + f + ": " + e, e);
        }
    }

    private static void checkPosition(long pos) {
        if (pos < 0) {
            throw new FsException(Errno.EINVAL, "negative position or size " + pos);
        }
    }

    private FsException failure(String op, ChunkKey k, IOException e) {
        String msg = String.valueOf(e.getMessage());
        Errno errno = msg.contains("No space left on device") ? Errno.ENOSPC : Errno.EIO;
        return new FsException(errno, op + " of chunk " + k + " in " + root + " failed: " + e, e);
    }

    @Override
    public String toString() {
        return "chunk repository " + root;
    }
}
