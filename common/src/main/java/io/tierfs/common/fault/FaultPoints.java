package io.tierfs.common.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Named places in multi-step protocols (e.g. {@code "rename.after-intent"}) where a test can make the process die,
 * to prove that every crash point leaves a state the recovery repairs. Production code calls {@link #hit} between
 * its steps; nothing happens unless the point was armed.
 * <p>
 * Why in production code rather than in a test double: the interesting crashes are between two persisted steps of
 * the real code path (journal writes, replies), and only the real code knows where those are. Why a static switch:
 * the points sit deep inside actors and blocking clients that tests do not construct themselves (a child JVM
 * started with a system property). The cost when nothing is armed is one volatile read per point.
 * <p>
 * Arming: the system property {@value #PROPERTY} (read once, when this class is first used) or {@link #arm}. A spec
 * is a comma-separated list of {@code point[:action][@n]}: the action fires on the n-th hit of the point counted
 * from arming (default 1), once; several entries may name the same point with different hit numbers, e.g.
 * {@code -Dtierfs.fault=rename.after-put:throw@1,rename.after-put:halt@2}. Actions:
 * <ul>
 * <li>{@code halt} (default): {@code Runtime.getRuntime().halt(137)}, like kill -9: no shutdown hooks, no
 *     flushing, no clean close of the journal; exit code 137 as a shell reports SIGKILL;</li>
 * <li>{@code throw}: throws {@link Injected}, an {@link Error}, so that the {@code catch (FsException)} and
 *     {@code catch (RuntimeException)} of the calling code do not handle it: the operation in the calling thread
 *     ends there (a coordinator that dies while the entities live on). {@code finally} blocks still run, as for
 *     any Error. Meant for client threads, not for actor threads.</li>
 * </ul>
 * Thread-safe.
 */
public final class FaultPoints {
    /** The system property that arms points at start-up. */
    public static final String PROPERTY = "tierfs.fault";
    /** The exit code of {@link Action#HALT} (128 + SIGKILL, as a shell reports a kill -9). */
    public static final int HALT_EXIT_CODE = 137;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*");

    /** What an armed point does when it fires. */
    public enum Action {
        HALT, THROW
    }

    /** Thrown by a point armed with {@link Action#THROW}. */
    public static final class Injected extends Error {
        private final String point;

        public Injected(String point) {
            super("fault injected at " + point);
            this.point = point;
        }

        public String point() {
            return point;
        }
    }

    /** One point's hit counter and the actions still to fire, by hit number. */
    private static final class Armed {
        private int hits;
        private final Map<Integer, Action> triggers = new java.util.HashMap<>();

        synchronized Action onHit() {
            hits++;
            return triggers.remove(hits);
        }

        synchronized void add(int atHit, Action action) {
            triggers.put(hits + atHit, action);
        }

        synchronized int hits() {
            return hits;
        }
    }

    private static final ConcurrentHashMap<String, Armed> POINTS = new ConcurrentHashMap<>();
    private static volatile boolean armed;

    static {
        String spec = System.getProperty(PROPERTY);
        if (spec != null && !spec.isBlank()) {
            arm(spec);
        }
    }

    private FaultPoints() {
    }

    /** Passes, or fires the action armed for this hit of {@code point}. One volatile read when nothing is armed. */
    public static void hit(String point) {
        if (armed) {
            fire(point);
        }
    }

    /** True when any point is armed (to skip work that only serves fault points). */
    public static boolean armed() {
        return armed;
    }

    private static void fire(String point) {
        Armed a = POINTS.get(point);
        if (a == null) {
            return;
        }
        Action action = a.onHit();
        if (action == Action.HALT) {
            System.err.println("fault point " + point + ": halting the JVM with exit code " + HALT_EXIT_CODE);
            System.err.flush();
            Runtime.getRuntime().halt(HALT_EXIT_CODE);
        } else if (action == Action.THROW) {
            throw new Injected(point);
        }
    }

    /** Arms {@code point} to fire {@code action} on its next hit. */
    public static void arm(String point, Action action) {
        arm(point, action, 1);
    }

    /** Arms {@code point} to fire {@code action} on its {@code atHit}-th hit from now (1 = the next). */
    public static void arm(String point, Action action, int atHit) {
        checkName(point);
        if (atHit < 1) {
            throw new IllegalArgumentException("fault point " + point + ": hit number " + atHit + " < 1");
        }
        POINTS.computeIfAbsent(point, p -> new Armed()).add(atHit, action);
        armed = true;
    }

    /** Arms every entry of a spec (see the class comment); throws IllegalArgumentException on a malformed one. */
    public static void arm(String spec) {
        for (Entry e : parse(spec)) {
            arm(e.point(), e.action(), e.atHit());
        }
    }

    /** How often {@code point} was hit since it was first armed (0 if never armed). */
    public static int hits(String point) {
        Armed a = POINTS.get(point);
        return a == null ? 0 : a.hits();
    }

    /** Disarms every point and forgets the hit counts (for tests that arm points in process). */
    public static void disarmAll() {
        armed = false;
        POINTS.clear();
    }

    /** One parsed entry of a spec. */
    public record Entry(String point, Action action, int atHit) {
    }

    /** Parses a spec: {@code point[:halt|:throw][@n]} entries separated by commas. */
    public static List<Entry> parse(String spec) {
        List<Entry> out = new ArrayList<>();
        for (String raw : spec.split(",")) {
            String s = raw.trim();
            if (s.isEmpty()) {
                continue;
            }
            int at = 1;
            int atSign = s.indexOf('@');
            if (atSign >= 0) {
                try {
                    at = Integer.parseInt(s.substring(atSign + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("fault spec '" + s + "': bad hit number", e);
                }
                s = s.substring(0, atSign);
            }
            Action action = Action.HALT;
            int colon = s.indexOf(':');
            if (colon >= 0) {
                String a = s.substring(colon + 1);
                action = switch (a) {
                    case "halt" -> Action.HALT;
                    case "throw" -> Action.THROW;
                    default -> throw new IllegalArgumentException("fault spec '" + raw.trim()
                            + "': unknown action '" + a + "' (halt or throw)");
                };
                s = s.substring(0, colon);
            }
            checkName(s);
            if (at < 1) {
                throw new IllegalArgumentException("fault spec '" + raw.trim() + "': hit number " + at + " < 1");
            }
            out.add(new Entry(s, action, at));
        }
        return out;
    }

    private static void checkName(String point) {
        if (!NAME.matcher(point).matches()) {
            throw new IllegalArgumentException("bad fault point name '" + point + "'");
        }
    }
}
