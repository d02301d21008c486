package io.tierfs.meta.entity;

import io.tierfs.meta.state.DirCommand;
import org.apache.pekko.actor.typed.ActorRef;

/** A client's command to a directory with the address for its reply. */
public record DirEnvelope(DirCommand cmd, ActorRef<DirReply> replyTo) implements DirMsg {
}
