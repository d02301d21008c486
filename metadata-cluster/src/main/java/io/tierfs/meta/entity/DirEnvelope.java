package io.tierfs.meta.entity;

import io.tierfs.meta.state.DirCommand;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A client's command to a directory with the address for its reply. {@code early}: the client allows the reply
 * before the command's events are durable (see {@link DirFront}); the front still answers late when the outcome
 * reaches beyond this directory ({@link EarlyReplyPolicy}). Default: synchronous.
 */
public record DirEnvelope(DirCommand cmd, ActorRef<DirReply> replyTo, boolean early) implements DirMsg {
    public DirEnvelope(DirCommand cmd, ActorRef<DirReply> replyTo) {
        this(cmd, replyTo, false);
    }
}
