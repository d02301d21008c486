package io.tierfs.node.cli;

import io.tierfs.fuse.MountTable;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * `tierfs umount DIR`: unmounts cleanly with fusermount -u. The node that served the mount sees the unmount,
 * flushes and stops by itself.
 */
public final class UmountCommand implements Command {
    @Override
    public String name() {
        return "umount";
    }

    @Override
    public String summary() {
        return "unmount a TierFS mount (the node flushes and exits)";
    }

    @Override
    public String usage() {
        return "tierfs umount MOUNTPOINT";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, Set.of(), Set.of());
        args.expectPositionals(1);
        Path mp = Path.of(args.positional(0, "MOUNTPOINT")).toAbsolutePath().normalize();
        MountTable.Entry m = MountTable.at(mp);
        if (m == null) {
            throw new CliException(mp + " is not a mount point");
        }
        if (!m.isTierFs()) {
            throw new CliException(mp + " is a " + m.fsType() + " mount, not TierFS");
        }
        Process p = new ProcessBuilder("fusermount", "-u", mp.toString()).redirectErrorStream(true).start();
        String msg = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() != 0) {
            throw new CliException("fusermount -u " + mp + " failed: " + msg);
        }
        out.println("unmounted " + mp);
        return 0;
    }
}
