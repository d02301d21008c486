package io.tierfs.tier.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Serves a {@link ChunkRepository} to other nodes over TCP (the data plane's server side; protocol in
 * {@link Frames}). Netty event loops only frame and unframe; the repository's blocking file calls run on a small
 * bounded pool, so a slow disk delays requests, not the network. Requests of one connection run concurrently and
 * are answered in any order (the client matches replies by request id). A connection with too many requests in
 * flight stops being read until some are answered (TCP pushes back on the client).
 */
public final class ChunkServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChunkServer.class);
    /** Repository threads by default: enough to overlap a few transfers, few enough for a 2-core node. */
    public static final int DEFAULT_IO_THREADS = 4;
    private static final int QUEUE = 4096;

    private final ChunkRepository repo;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ThreadPoolExecutor ioPool;
    private final ChannelGroup channels = new DefaultChannelGroup("tierfs-dataplane", GlobalEventExecutor.INSTANCE);
    private final WireFaults faults = new WireFaults();
    private final Channel serverChannel;
    private final InetSocketAddress address;

    /** Binds {@code host:port} (port 0: an ephemeral port, see {@link #address()}) and starts serving. */
    public ChunkServer(ChunkRepository repo, String host, int port) {
        this(repo, host, port, DEFAULT_IO_THREADS);
    }

    public ChunkServer(ChunkRepository repo, String host, int port, int ioThreads) {
        this.repo = repo;
        this.boss = new NioEventLoopGroup(1, new DefaultThreadFactory("tierfs-dataplane-accept", true));
        this.workers = new NioEventLoopGroup(2, new DefaultThreadFactory("tierfs-dataplane-server", true));
        this.ioPool = new ThreadPoolExecutor(ioThreads, ioThreads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE),
                new DefaultThreadFactory("tierfs-dataplane-io", true));
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, Frames.receiveBuffers())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast(Frames.decoder(Frames.MAX_REQUEST_FRAME),
                                new ServerHandler(repo, ioPool, faults));
                    }
                });
        try {
            this.serverChannel = b.bind(host, port).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutdownThreads();
            throw new FsException(Errno.EIO,
                    "data plane: cannot listen on " + host + ":" + port + ": " + e, e);
        }
        channels.add(serverChannel);
        this.address = (InetSocketAddress) serverChannel.localAddress();
        log.info("data plane serving {} on {}", repo, DataPlaneException.address(address));
    }

    /** The address clients connect to (with the real port when 0 was asked). */
    public InetSocketAddress address() {
        return address;
    }

    public ChunkRepository repository() {
        return repo;
    }

    /** Fault injection on the payloads this server sends (READ and LIST replies). */
    public WireFaults wireFaults() {
        return faults;
    }

    /** Stops listening, closes every connection (clients see them drop) and stops the threads. */
    @Override
    public void close() {
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdownThreads();
        log.info("data plane on {} stopped", DataPlaneException.address(address));
    }

    /** The repository pool first (its last replies still need the event loops), then the event loops. */
    private void shutdownThreads() {
        ioPool.shutdown();
        try {
            if (!ioPool.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("data plane: repository calls still running 5 s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
