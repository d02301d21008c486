package io.tierfs.tier.engine;

import java.util.List;

/** A move whose new layout is persisted; {@code toFree} are the source files still to delete. */
public record SwitchedMove(MoveTicket ticket, List<FileRef> toFree) {
    public SwitchedMove {
        toFree = List.copyOf(toFree);
    }

    public long bytes() {
        return ticket.length();
    }
}
