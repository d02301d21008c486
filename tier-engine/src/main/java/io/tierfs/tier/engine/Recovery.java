package io.tierfs.tier.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Restart recovery: rolls unfinished moves forward or back from what the persisted layout says, rebuilds the
 * in-memory chunks from the layout and the files that exist (a volatile primary lost in a reboot falls back to
 * its durable copy), deletes chunk files nobody references, and recomputes every tier's usage.
 */
final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private record FileKey(int tier, long ino, int index, long gen) {
    }

    /** What recovery found: the rebuilt layouts, the chunks that are dirty, and the next free generation. */
    record Result(Map<Long, FileLayout> layouts, List<Chunk> dirty, long nextGen, int orphans, int lost) {
    }

    private Recovery() {
    }

    static Result run(List<TierStore> tiers, LayoutStore store, long nowMillis) {
        Map<String, LayoutRecord> records = new HashMap<>();
        store.forEachChunk(records::put);

        for (long[] raw : store.intents().values()) {
            MoveIntent mi = MoveIntent.of(raw);
            LayoutRecord rec = records.get(mi.key());
            boolean switched = rec != null && (mi.durableRole()
                    ? rec.durableTier() == mi.toTier() && rec.durableGen() == mi.toGen()
                    : rec.tier() == mi.toTier() && rec.gen() == mi.toGen());
            boolean sourceKept = rec != null && !mi.durableRole() && rec.durableTier() == mi.fromTier()
                    && rec.durableGen() == mi.fromGen();
            if (switched && sourceKept) {
                log.info("recovery: promotion of chunk {}#{} was switched; its source stays as the durable copy",
                        mi.ino(), mi.index());
            } else if (switched) {
                log.info("recovery: move of chunk {}#{} was switched, rolling forward (freeing tier {} gen {})",
                        mi.ino(), mi.index(), tiers.get(mi.fromTier()).name(), mi.fromGen());
                tiers.get(mi.fromTier()).delete(mi.ino(), mi.index(), mi.fromGen());
            } else {
                log.info("recovery: move of chunk {}#{} was not switched, rolling back (freeing tier {} gen {})",
                        mi.ino(), mi.index(), tiers.get(mi.toTier()).name(), mi.toGen());
                tiers.get(mi.toTier()).delete(mi.ino(), mi.index(), mi.toGen());
            }
        }
        store.clearIntents();

        Map<FileKey, Long> files = new HashMap<>();
        long maxGen = 0;
        for (TierStore t : tiers) {
            t.scan((name, size) -> files.put(new FileKey(t.index(), name.ino(), name.index(), name.gen()), size));
        }
        for (FileKey k : files.keySet()) {
            maxGen = Math.max(maxGen, k.gen());
        }

        Map<Long, FileLayout> layouts = new ConcurrentHashMap<>();
        List<Chunk> dirty = new java.util.ArrayList<>();
        Set<FileKey> referenced = new HashSet<>();
        int lost = 0;
        for (Map.Entry<String, LayoutRecord> e : records.entrySet()) {
            long ino = LayoutStore.inoOf(e.getKey());
            int index = LayoutStore.indexOf(e.getKey());
            LayoutRecord r = e.getValue();
            maxGen = Math.max(maxGen, Math.max(r.gen(), r.durableGen()));
            Chunk c = rebuild(tiers, ino, index, r, files, referenced);
            if (c == null) {
                lost++;
                store.remove(ino, index);
                continue;
            }
            if (!LayoutRecord.of(c).equals(r)) {
                store.put(ino, index, LayoutRecord.of(c));
            }
            if (c.dirty) {
                dirty.add(c);
            }
            layouts.computeIfAbsent(ino, i -> new FileLayout(i, nowMillis)).chunks.put(index, c);
        }

        int orphans = 0;
        for (FileKey k : files.keySet()) {
            if (!referenced.contains(k)) {
                tiers.get(k.tier()).delete(k.ino(), k.index(), k.gen());
                orphans++;
            }
        }
        store.commitDurably();
        if (orphans > 0 || lost > 0) {
            log.info("recovery: {} chunks, {} orphan chunk files deleted, {} chunks without any copy dropped",
                    records.size() - lost, orphans, lost);
        }
        return new Result(layouts, dirty, maxGen + 1, orphans, lost);
    }

    private static Chunk rebuild(List<TierStore> tiers, long ino, int index, LayoutRecord r, Map<FileKey, Long> files,
                                 Set<FileKey> referenced) {
        Chunk c = new Chunk(ino, index);
        FileKey primary = r.tier() >= 0 && r.tier() < tiers.size() ? new FileKey(r.tier(), ino, index, r.gen()) : null;
        FileKey durable = r.durableTier() >= 0 && r.durableTier() < tiers.size()
                ? new FileKey(r.durableTier(), ino, index, r.durableGen()) : null;
        Long primarySize = primary == null ? null : files.get(primary);
        Long durableSize = durable == null ? null : files.get(durable);
        if (primarySize != null) {
            c.tier = primary.tier();
            c.gen = primary.gen();
            c.length = primarySize;
            referenced.add(primary);
            tiers.get(c.tier).forceReserve(ino, index, c.length);
            if (!tiers.get(c.tier).durable()) {
                // We cannot tell whether writes after the last flush reached the durable copy: flush again.
                c.dirty = true;
                c.dirtySinceMillis = System.nanoTime() / 1_000_000;
                if (durableSize != null) {
                    c.durableTier = durable.tier();
                    c.durableGen = durable.gen();
                    c.durableLength = durableSize;
                    referenced.add(durable);
                    tiers.get(c.durableTier).forceReserve(ino, index, c.durableLength);
                }
            }
            return c;
        }
        if (durableSize != null) {
            log.info("recovery: primary of chunk {}#{} on tier {} is gone (reboot?), using its durable copy on tier {}",
                    ino, index, primary == null ? "?" : tiers.get(primary.tier()).name(), tiers.get(durable.tier()).name());
            c.tier = durable.tier();
            c.gen = durable.gen();
            c.length = durableSize;
            referenced.add(durable);
            tiers.get(c.tier).forceReserve(ino, index, c.length);
            return c;
        }
        if (primary != null && tiers.get(primary.tier()).durable()) {
            log.error("recovery: chunk {}#{} has no file on durable tier {} (gen {}); dropping it",
                    ino, index, tiers.get(primary.tier()).name(), r.gen());
        } else {
            log.warn("recovery: chunk {}#{} was only in volatile memory (never flushed); dropping it", ino, index);
        }
        return null;
    }
}
