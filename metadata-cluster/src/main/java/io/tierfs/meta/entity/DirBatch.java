package io.tierfs.meta.entity;

import io.tierfs.meta.state.DirEvent;

import java.util.List;

/**
 * Group commit: events that a {@link DirFront} has already decided (and applied to its live state), for its
 * {@link DirEntity} to persist in one atomic journal write. {@code upTo} is the front's decided-event sequence
 * after the last of them (the front counts the answers that {@link io.tierfs.meta.state.AnswerTable#latestAnswersOnly}
 * left out, so it can exceed the events' count); the entity reports it back in {@link DirFront.Persisted} once the
 * write is durable.
 */
public record DirBatch(List<DirEvent> events, long upTo) {
}
