package io.tierfs.simulator.trace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns byte strings (paths, pids) into dense ids without making a String per lookup: open addressing over
 * an id table, the bytes kept once in an arena. Grows with the number of distinct names, not with the trace.
 */
final class PathTable {
    private int[] slots = new int[1 << 12];
    private int[] hashes = new int[1 << 10];
    private int[] offsets = new int[1 << 10];
    private int[] lengths = new int[1 << 10];
    private byte[] arena = new byte[1 << 16];
    private int arenaUsed;
    private int size;

    PathTable() {
        Arrays.fill(slots, -1);
    }

    int size() {
        return size;
    }

    /** The id of bytes [from, to) of {@code b}, a new one if never seen. */
    int intern(byte[] b, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        h ^= h >>> 16;
        int mask = slots.length - 1;
        int i = h & mask;
        while (true) {
            int id = slots[i];
            if (id < 0) {
                return add(b, from, to, h, i);
            }
            if (hashes[id] == h && lengths[id] == to - from
                    && Arrays.equals(arena, offsets[id], offsets[id] + lengths[id], b, from, to)) {
                return id;
            }
            i = (i + 1) & mask;
        }
    }

    private int add(byte[] b, int from, int to, int h, int slot) {
        int len = to - from;
        if (size == hashes.length) {
            hashes = Arrays.copyOf(hashes, size * 2);
            offsets = Arrays.copyOf(offsets, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
        }
        while (arenaUsed + len > arena.length) {
            arena = Arrays.copyOf(arena, arena.length * 2);
        }
        System.arraycopy(b, from, arena, arenaUsed, len);
        int id = size++;
        hashes[id] = h;
        offsets[id] = arenaUsed;
        lengths[id] = len;
        arenaUsed += len;
        slots[slot] = id;
        if (size * 2 > slots.length) {
            rehash();
        }
        return id;
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        Arrays.fill(slots, -1);
        int mask = slots.length - 1;
        for (int id = 0; id < size; id++) {
            int i = hashes[id] & mask;
            while (slots[i] >= 0) {
                i = (i + 1) & mask;
            }
            slots[i] = id;
        }
    }

    String name(int id) {
        return new String(arena, offsets[id], lengths[id], StandardCharsets.UTF_8);
    }
}
