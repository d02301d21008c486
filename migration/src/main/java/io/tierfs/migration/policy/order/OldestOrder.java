package io.tierfs.migration.policy.order;

import io.tierfs.migration.policy.FileInfo;

/** Age: the file modified longest ago first (oldest mtime). */
public final class OldestOrder extends KeyedOrder {
    public OldestOrder() {
        super(false);
    }

    @Override
    public double key(FileInfo f, long nowMillis) {
        return f.mtimeMillis();
    }

    @Override
    public String name() {
        return "age";
    }
}
