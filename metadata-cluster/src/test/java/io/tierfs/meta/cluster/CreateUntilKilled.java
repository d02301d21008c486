package io.tierfs.meta.cluster;

import io.tierfs.common.Caller;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Namespace;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Child-JVM program of {@link KillNineTest}: starts a node on the given state dir and creates files f0, f1, ...
 * one after the other in one directory (early replies) until it is killed; after every {@code args[1]} creates it
 * calls {@link Namespace#sync} on the directory and prints "SYNCED n" (n = number of files created) once it
 * returned. A second thread creates files in another directory and hard-links them into the root (synchronous
 * multi-directory steps), printing "LINKED i"; it works in another directory so that it never flushes the first.
 */
public final class CreateUntilKilled {
    private CreateUntilKilled() {
    }

    public static void main(String[] args) throws Exception {
        int every = Integer.parseInt(args[1]);
        MetadataNode node = MetadataNode.startEmbedded(Path.of(args[0]), Clock.systemUTC());
        Namespace ns = node.namespace();
        long dir = ns.mkdir(InodeRef.ROOT_INO, "d", 0755, Caller.ROOT).ref().ino();
        long other = ns.mkdir(InodeRef.ROOT_INO, "e", 0755, Caller.ROOT).ref().ino();
        ns.sync(InodeRef.ROOT_INO);
        System.out.println("READY " + dir + " " + other);
        System.out.flush();
        Thread linker = new Thread(() -> {
            for (int i = 0; ; i++) {
                var f = ns.create(other, "l" + i, 0644, Caller.ROOT, true);
                ns.link(f.ref(), InodeRef.ROOT_INO, "hard" + i);
                synchronized (System.out) {
                    System.out.println("LINKED " + i);
                    System.out.flush();
                }
            }
        });
        linker.setDaemon(true);
        linker.start();
        for (int i = 0; ; i++) {
            ns.create(dir, "f" + i, 0644, Caller.ROOT, true);
            if ((i + 1) % every == 0) {
                ns.sync(dir);
                synchronized (System.out) {
                    System.out.println("SYNCED " + (i + 1));
                    System.out.flush();
                }
            }
        }
    }
}
