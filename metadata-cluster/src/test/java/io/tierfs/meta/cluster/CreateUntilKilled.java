package io.tierfs.meta.cluster;

import io.tierfs.common.Caller;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Namespace;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Child-JVM program of {@link KillNineTest}: starts a node on the given state dir and creates files from 4 threads
 * forever, printing "ACK name" after each acknowledged create, until it is killed.
 */
public final class CreateUntilKilled {
    private CreateUntilKilled() {
    }

    public static void main(String[] args) throws Exception {
        MetadataNode node = MetadataNode.startEmbedded(Path.of(args[0]), Clock.systemUTC());
        Namespace ns = node.namespace();
        long dir = ns.mkdir(InodeRef.ROOT_INO, "d", 0755, Caller.ROOT).ref().ino();
        System.out.println("READY " + dir);
        System.out.flush();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                for (int i = 0; ; i++) {
                    String name = "t" + id + "-" + i;
                    long target = i % 2 == 0 ? dir : InodeRef.ROOT_INO;
                    ns.create(target, name, 0644, Caller.ROOT, true);
                    synchronized (System.out) {
                        System.out.println("ACK " + target + " " + name);
                        System.out.flush();
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
    }
}
