package io.tierfs.fuse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads /proc/self/mountinfo: jnr-fuse's mount returns before the kernel mount exists and reports no error after
 * its internal wait (STACK.md pitfall 6), so the only reliable "is it mounted" is the kernel's own table.
 */
public final class MountTable {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /** One line of mountinfo: the mount point, the file system type ("fuse.tierfs") and the source (fsname). */
    public record Entry(String mountPoint, String fsType, String source) {
        /** A TierFS mount: fsname "tierfs" or "tierfs:STATE_DIR". */
        public boolean isTierFs() {
            return fsType.startsWith("fuse") && (source.equals("tierfs") || source.startsWith("tierfs:"));
        }

        /** The state directory a TierFS mount was started with, when its fsname carries it ("tierfs:STATE"). */
        public java.util.Optional<Path> stateDir() {
            return source.startsWith("tierfs:") ? java.util.Optional.of(Path.of(source.substring("tierfs:".length())))
                    : java.util.Optional.empty();
        }
    }

    private MountTable() {
    }

    public static List<Entry> read() {
        try {
            return parse(Files.readAllLines(MOUNTINFO));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MOUNTINFO, e);
        }
    }

    /** Whether {@code dir} (absolute, normalized) is a mount point now. */
    public static boolean isMountPoint(Path dir) {
        String p = dir.toAbsolutePath().normalize().toString();
        for (Entry e : read()) {
            if (e.mountPoint().equals(p)) {
                return true;
            }
        }
        return false;
    }

    /** The entry mounted on {@code dir} last (the visible one), or null. */
    public static Entry at(Path dir) {
        String p = dir.toAbsolutePath().normalize().toString();
        Entry found = null;
        for (Entry e : read()) {
            if (e.mountPoint().equals(p)) {
                found = e;
            }
        }
        return found;
    }

    /** The innermost mount that contains {@code path}, or null. */
    public static Entry containing(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Entry best = null;
        for (Entry e : read()) {
            Path mp = Path.of(e.mountPoint());
            if (abs.startsWith(mp) && (best == null || mp.getNameCount() >= Path.of(best.mountPoint()).getNameCount())) {
                best = e;
            }
        }
        return best;
    }

    /** The device number ("major:minor") of the mount on {@code dir}, the name of its /sys/class/bdi entry. */
    public static java.util.Optional<String> deviceOf(Path dir) {
        String p = dir.toAbsolutePath().normalize().toString();
        String found = null;
        try {
            for (String line : Files.readAllLines(MOUNTINFO)) {
                String[] f = line.split(" ");
                if (f.length > 4 && unescape(f[4]).equals(p)) {
                    found = f[2];
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MOUNTINFO, e);
        }
        return java.util.Optional.ofNullable(found);
    }

    static List<Entry> parse(List<String> lines) {
        List<Entry> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            int sep = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    sep = i;
                    break;
                }
            }
            if (f.length < 5 || sep < 0 || sep + 2 >= f.length) {
                continue;
            }
            out.add(new Entry(unescape(f[4]), f[sep + 1], unescape(f[sep + 2])));
        }
        return out;
    }

    /** mountinfo escapes space, tab, newline and backslash as \\ooo. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
    }
}
