package io.tierfs.meta.entity;

import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.Replies;

/**
 * Whether a command that the client flagged early may really be answered before its events are durable. The
 * client knows the command, but only the outcome tells whether the effect stayed inside this directory: an unlink
 * of a remote dentry (the client then decrements the home's nlink) or a rename that replaced a remote file or a
 * directory (the client then decrements / removes it elsewhere) order another entity's step, so they must be
 * durable first, or a crash could leave nlink too low or a name to a removed directory. Pure.
 */
public final class EarlyReplyPolicy {
    private EarlyReplyPolicy() {
    }

    /** True when {@code reply} (the decided outcome of an early-flagged {@code cmd}) may go out before durability. */
    public static boolean confined(DirCommand cmd, Object reply) {
        if (cmd instanceof DirCommand.Unlink) {
            return reply instanceof Replies.Unlinked u && u.removal() != null;
        }
        if (cmd instanceof DirCommand.RenameLocal) {
            return reply instanceof Replies.Replaced r
                    && (r.replaced() == null || (!r.replaced().isDir() && r.removal() != null));
        }
        return cmd instanceof DirCommand.CreateInode || cmd instanceof DirCommand.AddSubdir
                || cmd instanceof DirCommand.SetAttrs || cmd instanceof DirCommand.UpdateSize
                || cmd instanceof DirCommand.SetXattr || cmd instanceof DirCommand.RemoveXattr;
    }
}
