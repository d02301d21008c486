package io.tierfs.tier.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tierfs.common.Errno;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * Reads and writes chunks held by {@link ChunkServer}s on other nodes. Blocking calls, safe from any number of
 * threads; a few TCP connections per peer ({@link DataPlaneSettings#connectionsPerPeer()}), each carrying many
 * requests at once, matched to their replies by id. Transfers larger than 1 MiB go as several 1 MiB requests in
 * flight together.
 * <p>
 * Integrity: every payload carries its CRC32C and the receiver checks it. A WRITE the server received corrupt is
 * refused and sent again; a READ reply that arrived corrupt is asked for again; after
 * {@link DataPlaneSettings#maxRetries()} more tries the call fails with {@link DataPlaneException.Kind#CORRUPT}. A
 * connection lost in the middle of a call is also retried on a new connection (every op is idempotent), a refused
 * connection is not. An APPEND carries a random id, so that a retry of
 * one the server already applied is answered with its first position instead of appending twice. Failures are {@link DataPlaneException}s that name the peer.
 */
public final class ChunkClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChunkClient.class);

    private final DataPlaneSettings settings;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final ConcurrentHashMap<InetSocketAddress, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final WireFaults faults = new WireFaults();
    private volatile boolean closed;

    public ChunkClient(DataPlaneSettings settings) {
        this.settings = settings;
        this.group = new NioEventLoopGroup(2, new DefaultThreadFactory("tierfs-dataplane-client", true));
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, Frames.receiveBuffers())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.connectTimeout().toMillis()));
    }

    public DataPlaneSettings settings() {
        return settings;
    }

    /** Fault injection on the payloads this client sends (WRITE data). */
    public WireFaults wireFaults() {
        return faults;
    }

    /**
     * Reads into {@code dst} from {@code pos} of the remote chunk, as {@link java.nio.channels.FileChannel#read(
     * ByteBuffer, long)} does: the count read (fewer only at the end of the chunk), -1 at or after the end, 0 for an
     * empty {@code dst}. Advances {@code dst}'s position by the count.
     */
    public int read(InetSocketAddress peer, ChunkKey k, long pos, ByteBuffer dst) {
        int want = dst.remaining();
        if (want == 0) {
            return 0;
        }
        int pieces = (want + Frames.MAX_PIECE - 1) / Frames.MAX_PIECE;
        Request[] reqs = new Request[pieces];
        InFlight[] first = new InFlight[pieces];
        int total = 0;
        boolean eof = false;
        try {
            for (int i = 0; i < pieces; i++) {
                long off = (long) i * Frames.MAX_PIECE;
                reqs[i] = Request.of(0, Op.READ, k, pos + off, Math.min(Frames.MAX_PIECE, want - off));
                first[i] = start(peer, reqs[i]);
            }
            for (int i = 0; i < pieces; i++) {
                InFlight f = first[i];
                first[i] = null;
                Response r = exchange(peer, reqs[i], f);
                try {
                    if (eof) {
                        continue;
                    }
                    long n = r.value();
                    if (n <= 0) {
                        eof = true;
                        continue;
                    }
                    if (n != r.payload().readableBytes() || n > reqs[i].length()) {
                        throw new DataPlaneException(DataPlaneException.Kind.REMOTE, Errno.EIO, peer,
                                "read reply says " + n + " bytes but carries " + r.payload().readableBytes(), null);
                    }
                    ByteBuffer part = dst.duplicate();
                    part.limit(part.position() + (int) n);
                    r.payload().getBytes(r.payload().readerIndex(), part);
                    dst.position(dst.position() + (int) n);
                    total += (int) n;
                    eof = n < reqs[i].length();
                } finally {
                    r.payload().release();
                }
            }
        } finally {
            abandonAll(first);
        }
        return total == 0 ? -1 : total;
    }

    /** Writes all of {@code src} at {@code pos} of the remote chunk, creating it if missing; consumes {@code src}. */
    public void write(InetSocketAddress peer, ChunkKey k, long pos, ByteBuffer src) {
        int len = src.remaining();
        int pieces = Math.max(1, (len + Frames.MAX_PIECE - 1) / Frames.MAX_PIECE);
        Request[] reqs = new Request[pieces];
        InFlight[] first = new InFlight[pieces];
        try {
            for (int i = 0; i < pieces; i++) {
                int off = i * Frames.MAX_PIECE;
                int n = Math.min(Frames.MAX_PIECE, len - off);
                // no copy: the reply comes only after the bytes left, and a stale resend fails its CRC check
                ByteBuffer slice = src.slice(src.position() + off, n);
                CRC32C crc = new CRC32C();
                crc.update(slice.duplicate());
                ByteBuf payload = n == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(slice);
                reqs[i] = new Request(0, Op.WRITE, k.owner(), k.ino(), k.chunk(), k.gen(), pos + off, n,
                        (int) crc.getValue(), payload);
                first[i] = start(peer, reqs[i]);
            }
            for (int i = 0; i < pieces; i++) {
                InFlight f = first[i];
                first[i] = null;
                exchange(peer, reqs[i], f).payload().release();
            }
        } finally {
            abandonAll(first);
            for (Request r : reqs) {
                if (r != null) {
                    r.payload().release();
                }
            }
        }
        src.position(src.limit());
    }

    /**
     * Appends all of {@code src} to the remote file at the end its home knows (at least {@code knownEnd}), ordered
     * there with every other append to it, and returns the position it landed at; consumes {@code src}. One frame
     * (at most 1 MiB, a FUSE write is at most 128 KiB), so that it lands whole. A retry after a lost connection
     * names the same append (its id), which the home applies once.
     */
    public long append(InetSocketAddress peer, ChunkKey k, long knownEnd, ByteBuffer src) {
        int n = src.remaining();
        if (n > Frames.MAX_PIECE) {
            throw new io.tierfs.common.FsException(Errno.EINVAL, "an append of " + n + " bytes is larger than one "
                    + "data-plane frame (" + Frames.MAX_PIECE + " bytes)");
        }
        ByteBuffer slice = src.slice();
        CRC32C crc = new CRC32C();
        crc.update(slice.duplicate());
        ByteBuf payload = n == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(slice);
        long appendId = java.util.concurrent.ThreadLocalRandom.current().nextLong();
        Request r = new Request(0, Op.APPEND, k.owner(), k.ino(), k.chunk(), k.gen(), knownEnd, appendId,
                (int) crc.getValue(), payload);
        try {
            Response resp = exchange(peer, r, null);
            resp.payload().release();
            src.position(src.limit());
            return resp.value();
        } finally {
            r.payload().release();
        }
    }

    /**
     * Asks the data home of a file ({@code k} names the whole file) which members hold the claim units {@code ask}
     * names, claiming the unclaimed ones for the asker; one name per unit (see {@link ChunkRepository#claim}).
     * Idempotent: a retry gets the same answer.
     */
    public java.util.List<String> claim(InetSocketAddress peer, ChunkKey k, ClaimAsk ask) {
        int count = ask.count();
        ByteBuf payload = Frames.encodeClaim(ask);
        Request r = new Request(0, Op.CLAIM, k.owner(), k.ino(), k.chunk(), k.gen(), ask.first(), count,
                Frames.crc32c(payload), payload);
        try {
            Response resp = exchange(peer, r, null);
            try {
                if (!resp.payloadIntact() || resp.value() != count) {
                    throw new DataPlaneException(DataPlaneException.Kind.REMOTE, Errno.EIO, peer, "claim reply for "
                            + count + " units: " + resp.value() + " names, CRC " + (resp.payloadIntact() ? "intact"
                            : "bad"), null);
                }
                return Frames.decodeMembers(resp.payload(), count);
            } catch (IllegalArgumentException e) {
                throw new DataPlaneException(DataPlaneException.Kind.REMOTE, Errno.EIO, peer, e.getMessage(), e);
            } finally {
                resp.payload().release();
            }
        } finally {
            r.payload().release();
        }
    }

    public long size(InetSocketAddress peer, ChunkKey k) {
        return call(peer, Request.of(0, Op.SIZE, k, 0, 0));
    }

    /** Sets the remote chunk's length (cut or extended with zeros), like ftruncate(2). */
    public void truncate(InetSocketAddress peer, ChunkKey k, long size) {
        call(peer, Request.of(0, Op.TRUNCATE, k, size, 0));
    }

    /** Makes the remote chunk's bytes written so far durable (see {@link ChunkRepository#fsync}). */
    public void fsync(InetSocketAddress peer, ChunkKey k) {
        call(peer, Request.of(0, Op.FSYNC, k, 0, 0));
    }

    /**
     * {@link #fsync(InetSocketAddress, ChunkKey)} waiting up to {@code timeout} for the reply instead of the request
     * timeout: making a whole file durable on its home may take far longer than one transfer (gigabytes of dirty
     * DRAM written to the SSD tier); a dropped connection still fails it at once.
     */
    public void fsync(InetSocketAddress peer, ChunkKey k, Duration timeout) {
        Response resp = exchange(peer, Request.of(0, Op.FSYNC, k, 0, 0), null, timeout);
        resp.payload().release();
    }

    /** Removes the remote chunk (no error if it is missing). */
    public void delete(InetSocketAddress peer, ChunkKey k) {
        call(peer, Request.of(0, Op.DELETE, k, 0, 0));
    }

    /** The CRC32C of the remote chunk's first {@code length} bytes (bytes past its end count as zeros). */
    public long crc32c(InetSocketAddress peer, ChunkKey k, long length) {
        return call(peer, Request.of(0, Op.CRC, k, 0, length));
    }

    /** Every chunk the peer holds for {@code owner}, with its length. */
    public Map<ChunkKey, Long> list(InetSocketAddress peer, String owner) {
        Response r = exchange(peer, Request.ofOwner(0, Op.LIST, ChunkKey.checkOwner(owner)), null);
        try {
            ByteBuf p = r.payload();
            if (p.readableBytes() != r.value() * Frames.LIST_ENTRY) {
                throw new DataPlaneException(DataPlaneException.Kind.REMOTE, Errno.EIO, peer, "list reply of "
                        + p.readableBytes() + " bytes for " + r.value() + " entries", null);
            }
            Map<ChunkKey, Long> out = new HashMap<>();
            for (long i = 0; i < r.value(); i++) {
                long ino = p.readLong();
                int chunk = p.readInt();
                long gen = p.readLong();
                out.put(new ChunkKey(owner, ino, chunk, gen), p.readLong());
            }
            return out;
        } finally {
            r.payload().release();
        }
    }

    /** Removes every chunk the peer holds for {@code owner}. */
    public void deleteOwner(InetSocketAddress peer, String owner) {
        call(peer, Request.ofOwner(0, Op.DELETE_OWNER, ChunkKey.checkOwner(owner)));
    }

    /** One round trip to the peer; its duration. */
    public Duration ping(InetSocketAddress peer) {
        long t0 = System.nanoTime();
        call(peer, Request.ofOwner(0, Op.PING, ""));
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Closes every connection and stops the client's threads. */
    @Override
    public void close() {
        closed = true;
        for (Peer p : peers.values()) {
            p.close();
        }
        peers.clear();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    // ---- request machinery ----

    /** A request on its way: where it went, under which id, and when to stop waiting. */
    private record InFlight(ClientConnection conn, long id, CompletableFuture<Response> reply, long deadlineNanos) {
    }

    private long call(InetSocketAddress peer, Request r) {
        Response resp = exchange(peer, r, null);
        resp.payload().release();
        return resp.value();
    }

    /**
     * Sends {@code template} (or waits for its first try, {@code first}) until a reply arrives intact; retries
     * corrupt transfers and lost connections. The caller keeps and releases the template's payload.
     */
    private Response exchange(InetSocketAddress peer, Request template, InFlight first) {
        return exchange(peer, template, first, settings.requestTimeout());
    }

    private Response exchange(InetSocketAddress peer, Request template, InFlight first, Duration timeout) {
        int corrupt = 0;
        int lost = 0;
        InFlight f = first;
        while (true) {
            if (f == null) {
                f = start(peer, template, timeout);
            }
            Response r;
            try {
                r = finish(peer, template, f, timeout);
            } catch (DataPlaneException e) {
                if (e.kind() == DataPlaneException.Kind.UNREACHABLE && e.getCause() instanceof ClientConnection.Lost
                        && lost < settings.maxRetries() && !closed) {
                    lost++;
                    log.warn("data plane: {} to {}: {}; retrying on a new connection ({} of {})", template.op(),
                            DataPlaneException.address(peer), e.getCause().getMessage(), lost, settings.maxRetries());
                    f = null;
                    continue;
                }
                throw e;
            }
            if (r.status() == Response.Status.OK && r.payloadIntact()) {
                return r;
            }
            if (r.status() == Response.Status.ERROR) {
                r.payload().release();
                throw new DataPlaneException(DataPlaneException.Kind.REMOTE, errno(r.errno()), peer, r.message(),
                        null);
            }
            String what = r.status() == Response.Status.BAD_CHECKSUM ? "the server received the payload corrupt"
                    : "the reply payload arrived corrupt";
            r.payload().release();
            if (corrupt >= settings.maxRetries()) {
                throw new DataPlaneException(DataPlaneException.Kind.CORRUPT, Errno.EIO, peer, template.op() + " of "
                        + keyOf(template) + ": " + what + " on all " + (corrupt + 1) + " tries (CRC32C mismatch)",
                        null);
            }
            corrupt++;
            log.warn("data plane: {} of {} to {}: {} (CRC32C mismatch); retrying ({} of {})", template.op(),
                    keyOf(template), DataPlaneException.address(peer), what, corrupt, settings.maxRetries());
            f = null;
        }
    }

    /** Sends one try of {@code template}: a new id, its own reference to the payload (corrupted if armed). */
    private InFlight start(InetSocketAddress peer, Request template) {
        return start(peer, template, settings.requestTimeout());
    }

    private InFlight start(InetSocketAddress peer, Request template, Duration timeout) {
        if (closed) {
            throw new DataPlaneException(DataPlaneException.Kind.UNREACHABLE, Errno.EIO, peer, "client closed", null);
        }
        ClientConnection c = peers.computeIfAbsent(peer, Peer::new).connection();
        long id = ids.incrementAndGet();
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuf payload = faults.apply(template.payload().retainedDuplicate());
        return new InFlight(c, id, c.send(template.withId(id).withPayload(payload)), deadline);
    }

    /** Waits for the reply of one try, until its deadline. */
    private Response finish(InetSocketAddress peer, Request template, InFlight f) {
        return finish(peer, template, f, settings.requestTimeout());
    }

    private Response finish(InetSocketAddress peer, Request template, InFlight f, Duration timeout) {
        long left = f.deadlineNanos() - System.nanoTime();
        try {
            return f.reply().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.conn().abandon(f.id(), f.reply());
            throw new DataPlaneException(DataPlaneException.Kind.TIMEOUT, Errno.ETIMEDOUT, peer, template.op() + " of "
                    + keyOf(template) + ": no reply within " + timeout.toMillis() + " ms", null);
        } catch (InterruptedException e) {
            f.conn().abandon(f.id(), f.reply());
            Thread.currentThread().interrupt();
            throw new DataPlaneException(DataPlaneException.Kind.INTERRUPTED, Errno.EIO, peer, template.op()
                    + " interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new DataPlaneException(DataPlaneException.Kind.UNREACHABLE, Errno.EIO, peer, template.op() + " of "
                    + keyOf(template) + ": " + cause.getMessage(), cause);
        } catch (CancellationException e) {
            throw new DataPlaneException(DataPlaneException.Kind.UNREACHABLE, Errno.EIO, peer, "request cancelled", e);
        }
    }

    private static void abandonAll(InFlight[] fs) {
        for (InFlight f : fs) {
            if (f != null) {
                f.conn().abandon(f.id(), f.reply());
            }
        }
    }

    private static String keyOf(Request r) {
        return r.op().keyed() ? r.key().toString() : "owner '" + r.owner() + "'";
    }

    private static Errno errno(int code) {
        for (Errno e : Errno.values()) {
            if (e.code() == code) {
                return e;
            }
        }
        return Errno.EIO;
    }

    /** The connections to one server, made on first use and again after they drop. */
    private final class Peer {
        private final InetSocketAddress address;
        private final ClientConnection[] slots;
        private final AtomicInteger next = new AtomicInteger();

        Peer(InetSocketAddress address) {
            this.address = address;
            this.slots = new ClientConnection[settings.connectionsPerPeer()];
        }

        ClientConnection connection() {
            int i = Math.floorMod(next.getAndIncrement(), slots.length);
            ClientConnection c = slots[i];
            if (c != null && c.isActive()) {
                return c;
            }
            synchronized (this) {
                c = slots[i];
                if (c == null || !c.isActive()) {
                    c = connect();
                    slots[i] = c;
                }
                return c;
            }
        }

        private ClientConnection connect() {
            ClientConnection c = new ClientConnection(address);
            ChannelFuture cf = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(Frames.decoder(Frames.MAX_RESPONSE_FRAME), c.new Handler());
                }
            }).connect(address);
            long waitMillis = settings.connectTimeout().toMillis() + 1000;
            boolean done;
            try {
                done = cf.await(waitMillis);
            } catch (InterruptedException e) {
                cf.cancel(false);
                Thread.currentThread().interrupt();
                throw new DataPlaneException(DataPlaneException.Kind.INTERRUPTED, Errno.EIO, address,
                        "interrupted while connecting", e);
            }
            if (!done) {
                cf.cancel(false);
                cf.channel().close();
                throw new DataPlaneException(DataPlaneException.Kind.UNREACHABLE, Errno.EIO, address,
                        "no connection within " + settings.connectTimeout().toMillis() + " ms", null);
            }
            if (!cf.isSuccess()) {
                Throwable cause = cf.cause();
                throw new DataPlaneException(DataPlaneException.Kind.UNREACHABLE, Errno.EIO, address,
                        "cannot connect: " + (cause == null ? "cancelled" : cause.getMessage()), cause);
            }
            c.attach(cf.channel());
            if (closed) {
                c.close();
                throw new DataPlaneException(DataPlaneException.Kind.UNREACHABLE, Errno.EIO, address, "client closed",
                        null);
            }
            log.debug("data plane: connected to {}", DataPlaneException.address(address));
            return c;
        }

        synchronized void close() {
            for (ClientConnection c : slots) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }
}
