package io.tierfs.meta.entity;

import org.apache.pekko.actor.typed.ActorRef;

import java.util.List;

/**
 * Group commit: the commands that arrived at a {@link DirFront} while the previous batch was being persisted; the
 * {@link DirEntity} decides them in order and persists all their events in one journal write.
 */
public record DirBatch(List<DirEnvelope> items, ActorRef<DirMsg> front) {
}
