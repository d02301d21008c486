package io.tierfs.migration.policy.order;

import io.tierfs.migration.policy.FileInfo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** An order by a numeric key, ascending or descending, with the key computed once per file when sorting. */
abstract class KeyedOrder implements FileOrder {
    private final boolean highestFirst;

    KeyedOrder(boolean highestFirst) {
        this.highestFirst = highestFirst;
    }

    @Override
    public Comparator<FileInfo> at(long nowMillis) {
        Comparator<FileInfo> byKey = Comparator.comparingDouble(f -> key(f, nowMillis));
        return (highestFirst ? byKey.reversed() : byKey).thenComparing(TIE);
    }

    @Override
    public List<FileInfo> sorted(Collection<FileInfo> files, long nowMillis) {
        record Keyed(FileInfo file, double key) {
        }
        List<Keyed> keyed = new ArrayList<>(files.size());
        for (FileInfo f : files) {
            keyed.add(new Keyed(f, key(f, nowMillis)));
        }
        Comparator<Keyed> byKey = Comparator.comparingDouble(Keyed::key);
        keyed.sort((highestFirst ? byKey.reversed() : byKey).thenComparing(Keyed::file, TIE));
        List<FileInfo> out = new ArrayList<>(keyed.size());
        for (Keyed k : keyed) {
            out.add(k.file());
        }
        return out;
    }
}
