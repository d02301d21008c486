package io.tierfs.node.fsck;

import io.tierfs.tier.engine.FileTierStat;
import io.tierfs.tier.engine.TierEngine;
import io.tierfs.tier.engine.TierStore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link DataSource} over the tier engine's layouts (rebuilt by its recovery when it opened): every inode with a
 * copy of a chunk on some tier, with the bytes of all copies.
 */
public final class TierDataSource implements DataSource {
    private final TierEngine engine;

    public TierDataSource(TierEngine engine) {
        this.engine = engine;
    }

    @Override
    public List<InodeData> inodesWithData() {
        Map<Long, Long> bytes = new TreeMap<>();
        for (TierStore t : engine.tiers()) {
            for (FileTierStat f : engine.filesOn(t.index())) {
                bytes.merge(f.ino(), f.bytes(), Long::sum);
            }
        }
        List<InodeData> out = new ArrayList<>(bytes.size());
        for (Map.Entry<Long, Long> e : bytes.entrySet()) {
            Set<Integer> chunks = new HashSet<>();
            for (TierStore t : engine.tiers()) {
                chunks.addAll(engine.chunksOn(e.getKey(), t.index()));
            }
            out.add(new InodeData(e.getKey(), chunks.size(), e.getValue()));
        }
        return out;
    }
}
