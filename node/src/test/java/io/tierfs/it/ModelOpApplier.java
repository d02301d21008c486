package io.tierfs.it;

import static io.tierfs.it.Sys.P;

import java.nio.file.Path;
import jnr.posix.FileStat;

/**
 * Applies a {@link ModelOp} to one root with raw system calls and reduces the result to an {@link Outcome} that
 * can be compared between two file systems: success plus what was observed, or the exact errno.
 */
final class ModelOpApplier {

    /** errno 0 means success; {@code observed} is what the step saw (read checksums, nlink). */
    record Outcome(int errno, String observed) {
        static Outcome ok(String observed) {
            return new Outcome(0, observed);
        }

        static Outcome failed() {
            return new Outcome(P.errno(), "");
        }

        @Override
        public String toString() {
            return errno == 0 ? "ok" + (observed.isEmpty() ? "" : "(" + observed + ")") : Sys.errnoName(errno);
        }
    }

    private final Path root;

    ModelOpApplier(Path root) {
        this.root = root;
    }

    private String abs(String rel) {
        return root.resolve(rel).toString();
    }

    Outcome apply(ModelOp op) {
        if (op instanceof ModelOp.Create c) {
            int flags = Sys.O_WRONLY | Sys.O_CREAT | (c.excl() ? Sys.O_EXCL : 0) | (c.trunc() ? Sys.O_TRUNC : 0);
            int fd = P.open(abs(c.path()), flags, 0644);
            return fd < 0 ? Outcome.failed() : closed(fd, Outcome.ok(""));
        } else if (op instanceof ModelOp.Write w) {
            int fd = P.open(abs(w.path()), Sys.O_WRONLY | (w.create() ? Sys.O_CREAT : 0), 0644);
            if (fd < 0) {
                return Outcome.failed();
            }
            byte[] data = TreeOps.content(w.dataSeed(), w.len());
            long n = P.pwrite(fd, data, (long) data.length, w.offset());
            return closed(fd, n < 0 ? Outcome.failed() : Outcome.ok("wrote " + n));
        } else if (op instanceof ModelOp.Truncate t) {
            return rc(P.truncate(abs(t.path()), t.size()));
        } else if (op instanceof ModelOp.Rename r) {
            return rc(P.rename(abs(r.from()), abs(r.to())));
        } else if (op instanceof ModelOp.Link l) {
            return rc(P.link(abs(l.from()), abs(l.to())));
        } else if (op instanceof ModelOp.Symlink s) {
            return rc(P.symlink(s.target(), abs(s.path())));
        } else if (op instanceof ModelOp.Unlink u) {
            return rc(P.unlink(abs(u.path())));
        } else if (op instanceof ModelOp.Mkdir m) {
            return rc(P.mkdir(abs(m.path()), 0755));
        } else if (op instanceof ModelOp.Rmdir r) {
            return rc(P.rmdir(abs(r.path())));
        } else if (op instanceof ModelOp.Read r) {
            return read(r);
        } else if (op instanceof ModelOp.OpenUnlinkRead o) {
            return openUnlinkRead(o);
        }
        throw new IllegalArgumentException("unknown op " + op);
    }

    private Outcome read(ModelOp.Read r) {
        int fd = P.open(abs(r.path()), Sys.O_RDONLY, 0);
        if (fd < 0) {
            return Outcome.failed();
        }
        FileStat st = P.allocateStat();
        if (P.fstat(fd, st) < 0) {
            return closed(fd, Outcome.failed());
        }
        if (st.isDirectory()) {
            return closed(fd, Outcome.ok("dir"));
        }
        byte[] data = Sys.pread(fd, 0, Math.toIntExact(st.st_size()));
        return closed(fd, Outcome.ok("size=" + data.length + " crc=" + Long.toHexString(TreeOps.crc(data))));
    }

    private Outcome openUnlinkRead(ModelOp.OpenUnlinkRead o) {
        int fd = P.open(abs(o.path()), Sys.O_RDWR, 0);
        if (fd < 0) {
            return Outcome.failed();
        }
        if (P.unlink(abs(o.path())) < 0) {
            return closed(fd, Outcome.failed());
        }
        byte[] data = TreeOps.content(o.dataSeed(), o.len());
        if (P.pwrite(fd, data, (long) data.length, o.offset()) < 0) {
            return closed(fd, Outcome.failed());
        }
        FileStat st = P.allocateStat();
        if (P.fstat(fd, st) < 0) {
            return closed(fd, Outcome.failed());
        }
        byte[] back = Sys.pread(fd, 0, Math.toIntExact(st.st_size()));
        return closed(fd, Outcome.ok("nlink=" + st.nlink() + " size=" + back.length + " crc="
                + Long.toHexString(TreeOps.crc(back))));
    }

    private static Outcome rc(int rc) {
        return rc < 0 ? Outcome.failed() : Outcome.ok("");
    }

    /** Closes fd; a failing close (e.g. a flush error on the mount) overrides the outcome. */
    private static Outcome closed(int fd, Outcome outcome) {
        if (P.close(fd) < 0) {
            return new Outcome(P.errno(), "close failed");
        }
        return outcome;
    }
}
