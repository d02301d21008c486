package io.tierfs.meta.entity;

import io.tierfs.meta.state.RenameIntent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which pending rename intents of a directory have stayed open too long: a coordinator that died (or stalls)
 * while the directory lives on would otherwise leave its rename half done until the directory's next recovery.
 * The directory hands such an intent to its re-driver, and again every {@code timeout} while it stays open.
 * Pure (the owner passes the time); not thread-safe (one actor owns it).
 */
final class IntentWatch {
    private static final Logger LOG = LoggerFactory.getLogger(IntentWatch.class);
    private final long dir;
    private final Duration timeout;
    /** txid -> when the intent was first seen open, or last handed to the re-driver (epoch ms). */
    private final Map<Long, Long> since = new HashMap<>();

    IntentWatch(long dir, Duration timeout) {
        this.dir = dir;
        this.timeout = timeout;
    }

    /** How often the owner should look: often enough to re-drive within 1.25 x the timeout, at least every 10 ms. */
    Duration tick() {
        return Duration.ofMillis(Math.max(10, timeout.toMillis() / 4));
    }

    /** The intents of {@code pending} open for at least the timeout at {@code nowMs}; their clocks restart. */
    List<RenameIntent> due(List<RenameIntent> pending, long nowMs) {
        List<RenameIntent> out = new ArrayList<>();
        Map<Long, Long> next = new HashMap<>();
        for (RenameIntent i : pending) {
            long t = since.getOrDefault(i.txid(), nowMs);
            if (nowMs - t >= timeout.toMillis()) {
                LOG.info("directory {}: rename intent {} ({} to {}/{}) open for {} ms, re-driving it", dir, i.txid(),
                        i.srcName(), i.dstDir(), i.dstName(), nowMs - t);
                out.add(i);
                t = nowMs;
            }
            next.put(i.txid(), t);
        }
        since.clear();
        since.putAll(next);
        return out;
    }
}
