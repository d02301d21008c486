package io.tierfs.node.fsck;

import io.tierfs.node.StateDir;

import java.nio.file.Path;

/** A child JVM that holds a state directory's lock, as a running node does, until its stdin closes. */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (StateDir dir = StateDir.open(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the parent closes our stdin
            }
        }
    }
}
