package io.tierfs.lock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The advisory locks of the files one lock service is responsible for, as Linux keeps them for a local file system:
 * POSIX record locks per owner on byte ranges (a new lock of an owner replaces what that owner held in its range,
 * and ranges of one owner and type merge; unlocking part of a range splits it), and flock locks per owner on the
 * whole file. Two locks conflict when their owners differ, their ranges overlap and one is exclusive; POSIX and
 * flock locks never conflict with each other.
 * <p>
 * A request that conflicts and may wait joins the file's queue; whenever locks go away, waiters are granted in
 * arrival order as soon as they no longer conflict ({@link Grant}s are returned for the caller to answer).
 * {@code T} is the caller's handle of a waiting request (how to answer it). Not thread-safe: one actor owns it.
 * Deadlocks are not detected (no EDEADLK): waiters of a cycle wait until one of them is interrupted.
 */
public final class LockTable<T> {

    /** What became of a lock request. */
    public enum Status { GRANTED, DENIED, QUEUED }

    /**
     * The outcome of {@link #lock}: on DENIED (and on QUEUED), {@code conflict} is a lock in the way; {@code granted}
     * are waiters this call let through (a downgrade may free what they wait for).
     */
    public record Result<T>(Status status, HeldLock conflict, List<Grant<T>> granted) {
    }

    /** A waiting request that was granted; its lock is held from now on. */
    public record Grant<T>(long ino, LockRequest request, T handle) {
    }

    private static final class Waiter<T> {
        final LockRequest request;
        T handle;

        Waiter(LockRequest request, T handle) {
            this.request = request;
            this.handle = handle;
        }
    }

    private static final class FileLocks<T> {
        /** POSIX locks sorted by start; ranges of one owner never overlap. */
        final List<HeldLock> posix = new ArrayList<>();
        final Map<LockOwner, HeldLock> flocks = new LinkedHashMap<>();
        final List<Waiter<T>> waiters = new ArrayList<>();

        boolean isEmpty() {
            return posix.isEmpty() && flocks.isEmpty() && waiters.isEmpty();
        }
    }

    private final Map<Long, FileLocks<T>> files = new HashMap<>();

    /**
     * Takes {@code r} on {@code ino} if nothing conflicts; else queues it (when {@code wait}, keeping the place of
     * an equal request already queued and answering through the new {@code handle}) or denies it.
     */
    public Result<T> lock(long ino, LockRequest r, boolean wait, T handle) {
        FileLocks<T> f = files.computeIfAbsent(ino, k -> new FileLocks<>());
        Optional<HeldLock> conflict = conflict(f, r);
        if (conflict.isEmpty()) {
            f.waiters.removeIf(w -> w.request.equals(r)); // granted anyway: an older ask of the same request
            apply(f, r);
            return new Result<>(Status.GRANTED, null, grantWaiters(ino, f));
        }
        if (!wait) {
            forgetIfEmpty(ino, f);
            return new Result<>(Status.DENIED, conflict.get(), List.of());
        }
        for (Waiter<T> w : f.waiters) {
            if (w.request.equals(r)) {
                w.handle = handle;
                return new Result<>(Status.QUEUED, conflict.get(), List.of());
            }
        }
        f.waiters.add(new Waiter<>(r, handle));
        return new Result<>(Status.QUEUED, conflict.get(), List.of());
    }

    /** F_GETLK: the first lock (lowest start; for flock, oldest) that would conflict with {@code r}, if any. */
    public Optional<HeldLock> test(long ino, LockRequest r) {
        FileLocks<T> f = files.get(ino);
        return f == null ? Optional.empty() : conflict(f, r);
    }

    /** Drops {@code owner}'s POSIX locks on {@code [start, end]} (splitting ranges), granting waiters it frees. */
    public List<Grant<T>> unlock(long ino, LockOwner owner, long start, long end) {
        FileLocks<T> f = files.get(ino);
        if (f == null) {
            return List.of();
        }
        removeRange(f, owner, start, end);
        return afterRelease(ino, f);
    }

    /** Drops {@code owner}'s flock lock on {@code ino}, granting waiters it frees. */
    public List<Grant<T>> unlockFlock(long ino, LockOwner owner) {
        FileLocks<T> f = files.get(ino);
        if (f == null) {
            return List.of();
        }
        f.flocks.remove(owner);
        f.waiters.removeIf(w -> w.request.kind() == LockRequest.Kind.FLOCK && w.request.owner().equals(owner));
        return afterRelease(ino, f);
    }

    /**
     * close(2) of a descriptor of {@code owner}'s process: every POSIX lock of the owner on the file goes, and so do
     * all its waiting requests there (a process killed while it waited closes its files).
     */
    public List<Grant<T>> unlockAll(long ino, LockOwner owner) {
        FileLocks<T> f = files.get(ino);
        if (f == null) {
            return List.of();
        }
        f.posix.removeIf(h -> h.owner().equals(owner));
        f.waiters.removeIf(w -> w.request.owner().equals(owner));
        return afterRelease(ino, f);
    }

    /** Withdraws {@code owner}'s waiting requests on {@code ino} (interrupted); returns how many there were. */
    public int cancel(long ino, LockOwner owner) {
        FileLocks<T> f = files.get(ino);
        if (f == null) {
            return 0;
        }
        int before = f.waiters.size();
        f.waiters.removeIf(w -> w.request.owner().equals(owner));
        int n = before - f.waiters.size();
        forgetIfEmpty(ino, f);
        return n;
    }

    /** A member is gone: every lock and waiter of its owners goes; returns the waiters this grants. */
    public List<Grant<T>> releaseMember(String member) {
        List<Grant<T>> granted = new ArrayList<>();
        for (Long ino : List.copyOf(files.keySet())) {
            FileLocks<T> f = files.get(ino);
            f.posix.removeIf(h -> h.owner().member().equals(member));
            f.flocks.keySet().removeIf(o -> o.member().equals(member));
            f.waiters.removeIf(w -> w.request.owner().member().equals(member));
            granted.addAll(afterRelease(ino, f));
        }
        return granted;
    }

    /** How many locks (POSIX ranges and flocks) and waiters {@code member}'s owners have here. */
    public int countOf(String member) {
        int n = 0;
        for (FileLocks<T> f : files.values()) {
            n += (int) f.posix.stream().filter(h -> h.owner().member().equals(member)).count();
            n += (int) f.flocks.keySet().stream().filter(o -> o.member().equals(member)).count();
            n += (int) f.waiters.stream().filter(w -> w.request.owner().member().equals(member)).count();
        }
        return n;
    }

    /** The POSIX locks held on {@code ino}, by start. */
    public List<HeldLock> posixLocks(long ino) {
        FileLocks<T> f = files.get(ino);
        return f == null ? List.of() : List.copyOf(f.posix);
    }

    /** The flock locks held on {@code ino}. */
    public List<HeldLock> flockLocks(long ino) {
        FileLocks<T> f = files.get(ino);
        return f == null ? List.of() : List.copyOf(f.flocks.values());
    }

    /** The requests waiting on {@code ino}, oldest first. */
    public List<LockRequest> waiting(long ino) {
        FileLocks<T> f = files.get(ino);
        return f == null ? List.of() : f.waiters.stream().map(w -> w.request).toList();
    }

    /** Files with any lock or waiter (tests, status). */
    public int fileCount() {
        return files.size();
    }

    private Optional<HeldLock> conflict(FileLocks<T> f, LockRequest r) {
        if (r.kind() == LockRequest.Kind.FLOCK) {
            return f.flocks.values().stream()
                    .filter(h -> !h.owner().equals(r.owner()) && h.type().conflictsWith(r.type()))
                    .findFirst();
        }
        return f.posix.stream()
                .filter(h -> !h.owner().equals(r.owner()) && h.overlaps(r.start(), r.end())
                        && h.type().conflictsWith(r.type()))
                .findFirst();
    }

    private void apply(FileLocks<T> f, LockRequest r) {
        if (r.kind() == LockRequest.Kind.FLOCK) {
            f.flocks.put(r.owner(), r.asHeld());
            return;
        }
        long s = r.start();
        long e = r.end();
        List<HeldLock> out = new ArrayList<>(f.posix.size() + 2);
        for (HeldLock h : f.posix) {
            if (!h.owner().equals(r.owner())) {
                out.add(h);
            } else if (h.type() == r.type() && h.touches(r.start(), r.end())) {
                s = Math.min(s, h.start()); // merged into the new lock
                e = Math.max(e, h.end());
            } else if (!h.overlaps(r.start(), r.end())) {
                out.add(h);
            } else {
                keepOutside(h, r.start(), r.end(), out);
            }
        }
        out.add(new HeldLock(r.owner(), r.pid(), r.type(), s, e));
        out.sort(Comparator.comparingLong(HeldLock::start));
        f.posix.clear();
        f.posix.addAll(out);
    }

    private static void removeRange(FileLocks<?> f, LockOwner owner, long start, long end) {
        List<HeldLock> out = new ArrayList<>(f.posix.size() + 1);
        for (HeldLock h : f.posix) {
            if (h.owner().equals(owner) && h.overlaps(start, end)) {
                keepOutside(h, start, end, out);
            } else {
                out.add(h);
            }
        }
        out.sort(Comparator.comparingLong(HeldLock::start));
        f.posix.clear();
        f.posix.addAll(out);
    }

    /** The parts of {@code h} before {@code start} and after {@code end}. */
    private static void keepOutside(HeldLock h, long start, long end, List<HeldLock> out) {
        if (h.start() < start) {
            out.add(h.withRange(h.start(), start - 1));
        }
        if (end != HeldLock.TO_EOF && h.end() > end) {
            out.add(h.withRange(end + 1, h.end()));
        }
    }

    private List<Grant<T>> afterRelease(long ino, FileLocks<T> f) {
        List<Grant<T>> granted = grantWaiters(ino, f);
        forgetIfEmpty(ino, f);
        return granted;
    }

    /** Grants, oldest first, every waiter that no longer conflicts (each grant counts for the later ones). */
    private List<Grant<T>> grantWaiters(long ino, FileLocks<T> f) {
        List<Grant<T>> granted = new ArrayList<>();
        for (Iterator<Waiter<T>> it = f.waiters.iterator(); it.hasNext(); ) {
            Waiter<T> w = it.next();
            if (conflict(f, w.request).isEmpty()) {
                apply(f, w.request);
                it.remove();
                granted.add(new Grant<>(ino, w.request, w.handle));
            }
        }
        return granted;
    }

    private void forgetIfEmpty(long ino, FileLocks<T> f) {
        if (f.isEmpty()) {
            files.remove(ino);
        }
    }
}
