package io.tierfs.meta.entity;

import io.tierfs.meta.state.DirCommand;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A client's command to a directory with the address for its reply. {@code early}: the client allows the reply
 * before the command's events are durable (see {@link DirFront}); the front still answers late when the outcome
 * reaches beyond this directory ({@link EarlyReplyPolicy}) or when the client is in another JVM. Default:
 * synchronous. {@code id}: the request id of a mutating command, the same for every retry of one call (null:
 * no deduplication, e.g. read-only commands and tools that drive single steps).
 */
public record DirEnvelope(DirCommand cmd, ActorRef<DirReply> replyTo, boolean early, RequestId id) implements DirMsg {
    public DirEnvelope(DirCommand cmd, ActorRef<DirReply> replyTo) {
        this(cmd, replyTo, false, null);
    }

    public DirEnvelope(DirCommand cmd, ActorRef<DirReply> replyTo, boolean early) {
        this(cmd, replyTo, early, null);
    }
}
