package io.tierfs.node;

import com.sun.security.auth.module.UnixSystem;
import io.tierfs.common.Caller;

/** The uid and gid this process runs as: the owner of a new file system's root. */
public final class ProcessUser {
    private ProcessUser() {
    }

    public static Caller current() {
        UnixSystem u = new UnixSystem();
        return new Caller((int) u.getUid(), (int) u.getGid());
    }
}
