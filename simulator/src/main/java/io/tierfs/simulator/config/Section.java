package io.tierfs.simulator.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One object of the configuration with its full name, read strictly: typed getters that name the key on error,
 * and {@link #allow} to refuse any key the section does not know (a typo must not silently run a default).
 */
final class Section {
    private final Config c;
    private final String where;

    Section(Config c, String where) {
        this.c = c;
        this.where = where;
    }

    String where() {
        return where;
    }

    boolean has(String key) {
        return c.hasPath(key);
    }

    /** Fails on the first key that is not in {@code known}. */
    void allow(Set<String> known) {
        for (String k : new TreeSet<>(c.root().keySet())) {
            if (!known.contains(k)) {
                throw new SimConfigException(name(k) + ": unknown key (known here: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    String name(String key) {
        return where.isEmpty() ? key : where + "." + key;
    }

    Section section(String key) {
        if (!c.hasPath(key)) {
            return new Section(com.typesafe.config.ConfigFactory.empty(), name(key));
        }
        return wrap(key, () -> new Section(c.getConfig(key), name(key)));
    }

    List<Section> sections(String key) {
        if (!c.hasPath(key)) {
            return List.of();
        }
        return wrap(key, () -> {
            List<Section> out = new ArrayList<>();
            List<? extends Config> list = c.getConfigList(key);
            for (int i = 0; i < list.size(); i++) {
                out.add(new Section(list.get(i), name(key) + "[" + i + "]"));
            }
            return out;
        });
    }

    String string(String key, String dflt) {
        return c.hasPath(key) ? wrap(key, () -> c.getString(key)) : required(key, dflt);
    }

    List<String> strings(String key, List<String> dflt) {
        return c.hasPath(key) ? wrap(key, () -> c.getStringList(key)) : dflt;
    }

    boolean bool(String key, boolean dflt) {
        return c.hasPath(key) ? wrap(key, () -> c.getBoolean(key)) : dflt;
    }

    long positiveLong(String key, long dflt) {
        long v = c.hasPath(key) ? wrap(key, () -> c.getLong(key)) : dflt;
        return positive(key, v);
    }

    int positiveInt(String key, int dflt) {
        return Math.toIntExact(positiveLong(key, dflt));
    }

    double number(String key, double dflt) {
        return c.hasPath(key) ? wrap(key, () -> c.getDouble(key)) : dflt;
    }

    /** A size in bytes ("4MiB", "2GB"); must be positive. */
    long bytes(String key, Long dflt) {
        if (!c.hasPath(key)) {
            if (dflt == null) {
                throw new SimConfigException(name(key) + ": required");
            }
            return dflt;
        }
        if (c.getValue(key).valueType() == ConfigValueType.NUMBER) {
            return positive(key, wrap(key, () -> c.getLong(key)));
        }
        String raw = c.getString(key).trim();
        if (raw.startsWith("-")) {
            throw new SimConfigException(name(key) + ": must be positive, got " + raw);
        }
        return positive(key, wrap(key, () -> c.getBytes(key)));
    }

    /** A duration ("30s", "8.5ms") in nanoseconds; must not be negative. */
    long nanos(String key, Long dflt) {
        if (!c.hasPath(key)) {
            if (dflt == null) {
                throw new SimConfigException(name(key) + ": required");
            }
            return dflt;
        }
        if (c.getValue(key).valueType() == ConfigValueType.STRING && c.getString(key).trim().startsWith("-")) {
            throw new SimConfigException(name(key) + ": must not be negative, got " + c.getString(key));
        }
        long v = wrap(key, () -> c.getDuration(key).toNanos());
        if (v < 0) {
            throw new SimConfigException(name(key) + ": must not be negative");
        }
        return v;
    }

    private long positive(String key, long v) {
        if (v <= 0) {
            throw new SimConfigException(name(key) + ": must be positive, got " + v);
        }
        return v;
    }

    private String required(String key, String dflt) {
        if (dflt == null) {
            throw new SimConfigException(name(key) + ": required");
        }
        return dflt;
    }

    private <T> T wrap(String key, java.util.function.Supplier<T> get) {
        try {
            return get.get();
        } catch (ConfigException e) {
            String msg = e.getMessage();
            int colon = msg.lastIndexOf(": ");
            throw new SimConfigException(name(key) + ": " + (colon >= 0 ? msg.substring(colon + 2) : msg), e);
        }
    }
}
