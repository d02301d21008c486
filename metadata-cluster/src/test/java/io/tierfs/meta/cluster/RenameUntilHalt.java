package io.tierfs.meta.cluster;

import io.tierfs.common.Caller;
import io.tierfs.common.InodeRef;
import io.tierfs.common.fault.FaultPoints;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Node;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Child-JVM program of {@link RenameCrashTest}: starts a node on the given state dir, builds one small tree per
 * {@link Scenario}, makes it durable, prints "INO key ino" for every inode the parent checks and "READY", then
 * runs the renames A, B, C and the directory scenario named by {@code args[1]} (D or E) one after the other,
 * printing "START x" before each and "DONE x" after it, or "FROZEN x" when a fault point armed with "throw"
 * ended it (its coordinator died; the entities live on). The fault point armed with "halt"
 * ({@code -Dtierfs.fault}) kills the JVM with exit code 137 in the middle of one of them; "END" means no point
 * fired.
 */
public final class RenameUntilHalt {

    /** The renames, each in its own directories. */
    enum Scenario {
        /** file /sa/f (homed in sa) to /ta/f, no victim */
        A,
        /** file /sb/g (homed in hb) to /tb/g, replacing /tb/g (homed in hv): victim's nlink-1 and ctime at homes */
        B,
        /** file /sc/f (homed in sc) to /tc/f, replacing /tc/f homed in tc: the victim goes in the put's write */
        C,
        /** directory /sd/d (with a file and a subdirectory) to /td/d, no victim */
        D,
        /** directory /se/e (with a file) to /te/e, replacing the empty directory /te/e */
        E
    }

    private RenameUntilHalt() {
    }

    public static void main(String[] args) {
        Scenario dirScenario = Scenario.valueOf(args[1]);
        MetadataNode node = MetadataNode.startEmbedded(Path.of(args[0]), Clock.systemUTC());
        Namespace ns = node.namespace();
        Map<String, Long> ino = new LinkedHashMap<>();
        long root = InodeRef.ROOT_INO;
        for (String d : new String[]{"sa", "ta", "sb", "tb", "hb", "hv", "sc", "tc", "sd", "td", "se", "te"}) {
            ino.put(d, ns.mkdir(root, d, 0755, Caller.ROOT).ref().ino());
        }
        ino.put("A.f", file(ns, ino.get("sa"), "f", 1234, "A").ref().ino());
        Node g = file(ns, ino.get("hb"), "g", 2222, "B");
        ns.link(g.ref(), ino.get("sb"), "g");
        ns.unlink(ino.get("hb"), "g");
        ino.put("B.g", g.ref().ino());
        Node w = file(ns, ino.get("hv"), "w", 1, "victim");
        ns.link(w.ref(), ino.get("tb"), "g");
        ns.unlink(ino.get("hv"), "w");
        ino.put("B.w", w.ref().ino());
        ino.put("C.f", file(ns, ino.get("sc"), "f", 3333, "C").ref().ino());
        ino.put("C.v", file(ns, ino.get("tc"), "f", 1, "victim").ref().ino());
        long d = ns.mkdir(ino.get("sd"), "d", 0750, Caller.ROOT).ref().ino();
        ino.put("D.d", d);
        file(ns, d, "inside", 44, "D");
        ns.mkdir(d, "sub", 0755, Caller.ROOT);
        long e = ns.mkdir(ino.get("se"), "e", 0750, Caller.ROOT).ref().ino();
        ino.put("E.e", e);
        file(ns, e, "inside", 55, "E");
        ino.put("E.v", ns.mkdir(ino.get("te"), "e", 0755, Caller.ROOT).ref().ino());
        ns.syncAll();
        ino.forEach((k, v) -> System.out.println("INO " + k + " " + v));
        System.out.println("READY");
        System.out.flush();
        for (Scenario s : new Scenario[]{Scenario.A, Scenario.B, Scenario.C, dirScenario}) {
            System.out.println("START " + s);
            System.out.flush();
            try {
                switch (s) {
                    case A -> ns.rename(ino.get("sa"), "f", ino.get("ta"), "f");
                    case B -> ns.rename(ino.get("sb"), "g", ino.get("tb"), "g");
                    case C -> ns.rename(ino.get("sc"), "f", ino.get("tc"), "f");
                    case D -> ns.rename(ino.get("sd"), "d", ino.get("td"), "d");
                    case E -> ns.rename(ino.get("se"), "e", ino.get("te"), "e");
                }
                System.out.println("DONE " + s);
            } catch (FaultPoints.Injected x) {
                System.out.println("FROZEN " + s);
            }
            System.out.flush();
        }
        System.out.println("END");
        System.out.flush();
        node.close();
    }

    private static Node file(Namespace ns, long dir, String name, long size, String tag) {
        Node n = ns.create(dir, name, 0640, Caller.ROOT, true);
        ns.updateSize(n.ref(), size, 0, true);
        ns.setxattr(n.ref(), "user.tag", tag.getBytes(StandardCharsets.UTF_8), 0);
        return n;
    }
}
