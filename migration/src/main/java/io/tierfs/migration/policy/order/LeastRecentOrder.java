package io.tierfs.migration.policy.order;

import io.tierfs.migration.policy.FileInfo;

/** LRU: the least recently accessed file first (oldest atime). The FileInfo twin of {@code LruOrder}. */
public final class LeastRecentOrder extends KeyedOrder {
    public LeastRecentOrder() {
        super(false);
    }

    @Override
    public double key(FileInfo f, long nowMillis) {
        return f.atimeMillis();
    }

    @Override
    public String name() {
        return "lru";
    }
}
