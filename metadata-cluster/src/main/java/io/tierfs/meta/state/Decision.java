package io.tierfs.meta.state;

import java.util.List;

/** The outcome of a valid command: the events to persist (maybe none) and the reply to send once they are durable. */
public record Decision(List<DirEvent> events, Object reply) {
    public static Decision of(Object reply, DirEvent... events) {
        return new Decision(List.of(events), reply);
    }
}
