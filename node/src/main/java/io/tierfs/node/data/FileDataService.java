package io.tierfs.node.data;

import com.typesafe.config.Config;
import io.tierfs.meta.cluster.MetadataNode;
import io.tierfs.tier.DataStore;
import io.tierfs.tier.net.ChunkClient;
import io.tierfs.tier.net.ChunkServer;
import io.tierfs.tier.net.DataPlaneSettings;
import io.tierfs.tier.net.FileDataRepository;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Shared file data on a cluster member: serves the files homed here to the other members (a {@link ChunkServer}
 * over a {@link FileDataRepository} on its own port, published through {@link FileServiceActor}), and gives this
 * member's VFS a {@link RoutingDataStore} that sends the calls of files homed elsewhere to their home.
 * The advisory locks of the files homed here are kept here as well ({@link LockServiceActor}), and {@link #locks()}
 * sends this member's lock calls to each file's home.
 * <p>
 * Settings: {@code tierfs.dataplane.host} (default: the member's Pekko host) and {@code tierfs.dataplane.file-port}
 * (default 0: any free port; the address is found through the cluster, so it need not be fixed). Lent memory
 * ({@code tierfs.dataplane.port}) is served by its own server: the two never share a repository, quota or thread
 * pool, and either runs without the other. The client knobs ({@code connect-timeout}, {@code request-timeout},
 * {@code max-retries}, {@code connections-per-peer}) are the data plane's. {@code tierfs.dataplane.write-behind}
 * (default 8 MiB per file, 0 = off) and {@code write-behind-threads} (4) set how remote writes are queued
 * ({@link WriteBehind}); {@code fsync-timeout} (10 min) how long an fsync of a remote file waits for its home.
 */
public final class FileDataService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FileDataService.class);
    /** How long a member absent from the receptionist is looked for before a call fails. */
    private static final Duration LOOKUP_PATIENCE = Duration.ofSeconds(5);
    /** Bytes of remote writes queued per file (see {@link WriteBehind}); 0 turns write-behind off. */
    private static final long DEFAULT_WRITE_BEHIND = 8L << 20;
    private static final int DEFAULT_SENDERS = 4;
    /**
     * What a member claims of a shared file at a time: the transfer size of MPI-IO and IOR, so that processes on
     * several members writing interleaved 1 MiB transfers each write into their own member (docs/consistency.md).
     */
    static final long DEFAULT_CLAIM_UNIT = 1L << 20;
    static final long MIN_CLAIM_UNIT = 4096;

    private final ChunkServer server;
    private final ChunkClaims claims;
    private final ActorRef<FileServiceProtocol> publisher;
    private final RoutingDataStore routing;
    private final FileDataRepository served;
    private final ActorRef<LockProtocol> lockService;
    private final ClusterLocks locks;

    private FileDataService(ChunkServer server, ActorRef<FileServiceProtocol> publisher, RoutingDataStore routing,
                            FileDataRepository served, ActorRef<LockProtocol> lockService, ClusterLocks locks,
                            ChunkClaims claims) {
        this.claims = claims;
        this.served = served;
        this.server = server;
        this.publisher = publisher;
        this.routing = routing;
        this.lockService = lockService;
        this.locks = locks;
    }

    /**
     * Starts serving {@code local} (this member's store) and returns the service with its routing view; the chunk
     * claims of the files homed here are kept in {@code stateRoot}, by units of {@code tierfs.dataplane.claim-unit}
     * (at most {@code chunkSize}, the engine's).
     */
    public static FileDataService start(Config raw, MetadataNode meta, DataStore local, java.nio.file.Path stateRoot,
                                        long chunkSize) {
        ActorSystem<Void> system = meta.system();
        // settings first: a bad value stops the member before anything listens
        long writeBehind = raw.hasPath("tierfs.dataplane.write-behind")
                ? raw.getMemorySize("tierfs.dataplane.write-behind").toBytes() : DEFAULT_WRITE_BEHIND;
        int senders = raw.hasPath("tierfs.dataplane.write-behind-threads")
                ? raw.getInt("tierfs.dataplane.write-behind-threads") : DEFAULT_SENDERS;
        java.time.Duration fsyncTimeout = raw.hasPath("tierfs.dataplane.fsync-timeout")
                ? raw.getDuration("tierfs.dataplane.fsync-timeout") : RoutingDataStore.DEFAULT_FSYNC_TIMEOUT;
        long claimUnit = Math.min(chunkSize, raw.hasPath("tierfs.dataplane.claim-unit")
                ? raw.getMemorySize("tierfs.dataplane.claim-unit").toBytes() : DEFAULT_CLAIM_UNIT);
        if (claimUnit < MIN_CLAIM_UNIT || Long.bitCount(claimUnit) != 1) {
            throw new IllegalArgumentException("tierfs.dataplane.claim-unit must be a power of two of at least "
                    + MIN_CLAIM_UNIT + " bytes, not " + claimUnit);
        }
        if (writeBehind < 0 || senders < 1 || fsyncTimeout.isNegative() || fsyncTimeout.isZero()) {
            throw new IllegalArgumentException("tierfs.dataplane: write-behind must be >= 0, write-behind-threads >= 1 "
                    + "and fsync-timeout positive, not " + writeBehind + ", " + senders + " and " + fsyncTimeout);
        }
        String host = raw.hasPath("tierfs.dataplane.host") ? raw.getString("tierfs.dataplane.host")
                : org.apache.pekko.cluster.typed.Cluster.get(system).selfMember().address().host().get();
        int port = raw.hasPath("tierfs.dataplane.file-port") ? raw.getInt("tierfs.dataplane.file-port") : 0;
        ChunkClaims claims = new ChunkClaims(stateRoot, meta.memberId(), local::where, claimUnit, chunkSize);
        ChunkClient client = null;
        ChunkServer server = null;
        RoutingDataStore routing = null;
        ActorRef<FileServiceProtocol> publisher;
        ActorRef<LockProtocol> lockService;
        ClusterLocks locks;
        InetSocketAddress at;
        try {
            client = new ChunkClient(DataPlaneSettings.fromConfig(raw));
            HomeAddresses addresses = new HomeAddresses(system, LOOKUP_PATIENCE);
            routing = new RoutingDataStore(local, meta.memberId(), meta.dataHomes()::homeOf, addresses, client,
                    claims, writeBehind, senders).fsyncTimeout(fsyncTimeout);
            FileDataRepository served = new FileDataRepository(new ServedFileData(routing, local));
            served.serveClaims(claims::claim);
            server = new ChunkServer(served, host, port);
            at = server.address();
            publisher = system.systemActorOf(FileServiceActor.create(new FileServiceProtocol.ServiceAddress(
                    meta.memberId(), at.getHostString(), at.getPort())), "file-data-service", Props.empty());
            // the locks of the files homed here live here too (see LockServiceActor)
            lockService = system.systemActorOf(LockServiceActor.create(meta.memberId()), "file-lock-service",
                    Props.empty());
            locks = new ClusterLocks(system, meta.memberId(), LockServiceActor.memberKey(
                    org.apache.pekko.cluster.typed.Cluster.get(system).selfMember().uniqueAddress()), lockService,
                    meta.dataHomes()::homeOf);
            locks.onGranted(routing::revalidate);
            log.info("file data of member {} served on {}:{}", meta.memberId(), at.getHostString(), at.getPort());
            return new FileDataService(server, publisher, routing, served, lockService, locks, claims);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            if (routing != null) {
                routing.close(); // closes the client
            } else if (client != null) {
                client.close();
            }
            claims.close();
            throw e;
        }
    }
    /**
     * Lets this member's VFS keep the data of a file another member unlinked while a process here has it open
     * ({@code keepsData} marks the open inode nameless and answers whether a handle holds it).
     */
    public void keepDataOfOpenFiles(java.util.function.LongPredicate keepsData) {
        served.keepDataOpenHere(keepsData);
    }

    /** The data store this member's VFS uses: local files here, the others on their homes. */
    public RoutingDataStore routing() {
        return routing;
    }

    /** Advisory locks of this member's mount, kept at each file's data home. */
    public ClusterLocks locks() {
        return locks;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /** Stops serving (other members' calls fail with EIO from now on) and closes the client. */
    @Override
    public void close() {
        publisher.tell(new FileServiceProtocol.Stop()); // leaves the receptionist
        lockService.tell(new LockProtocol.Stop());
        try {
            routing.close();
        } finally {
            try {
                server.close();
            } finally {
                claims.close();
            }
        }
    }
}
