package io.tierfs.node.metrics;

import java.util.List;

/**
 * What the status page and `tierfs top` show beyond /api/v1/status: the last hour of usage and mover throughput,
 * migrations in progress and recent, and memory lent per node. Served as JSON at /api/v1/dashboard.
 */
public record Dashboard(long timeMillis, String node, long sampleIntervalMillis, List<String> tiers,
                        List<History.Sample> history, Migrations migrations, List<LentMemory> memory) {
    /** Chunk copies of the mover: running now, and the last ones finished (newest first). */
    public record Migrations(List<Move> inProgress, List<Move> recent, long movedDown, long movedUp,
                             long bytesDown, long bytesUp, long failed) {
    }

    /** One chunk copy; {@code result} is null while it runs. */
    public record Move(long ino, int chunk, String from, String to, String direction, long bytes, String result,
                       long startMillis, long endMillis) {
    }

    /** DRAM this node lends to others (zeros when it does not lend); `tierfs nodes` shows every member's. */
    public record LentMemory(String node, long offeredBytes, long lentBytes, long usedBytes, long dirtyBytes) {
    }
}
