package io.tierfs.simulator.engine;

import java.util.Arrays;

/**
 * Per tier, the files that have bytes on it in recency order, as intrusive doubly-linked lists over int arrays:
 * touching a file is O(1) and allocation-free, and a plan's victim candidates are read from the cold end without
 * looking at every file. A file arriving on a slower tier by a move is placed by its last access (walking a bounded
 * distance from the cold end), so the order stays the LRU order the policy expects.
 */
final class LruLists {
    private static final int NIL = -1;
    private static final int MAX_WALK = 1024;
    private final int tiers;
    private int[][] prev;
    private int[][] next;
    private boolean[][] member;
    private final int[] head;
    private final int[] tail;
    private final int[] count;

    LruLists(int tiers) {
        this.tiers = tiers;
        prev = new int[tiers][0];
        next = new int[tiers][0];
        member = new boolean[tiers][0];
        head = new int[tiers];
        tail = new int[tiers];
        count = new int[tiers];
        Arrays.fill(head, NIL);
        Arrays.fill(tail, NIL);
    }

    void grow(int n) {
        for (int t = 0; t < tiers; t++) {
            prev[t] = Arrays.copyOf(prev[t], n);
            next[t] = Arrays.copyOf(next[t], n);
            member[t] = Arrays.copyOf(member[t], n);
        }
    }

    boolean contains(int t, int f) {
        return member[t][f];
    }

    int size(int t) {
        return count[t];
    }

    /** The least recently used file of tier t, or -1. */
    int coldest(int t) {
        return tail[t];
    }

    /** The next warmer file after {@code f} on tier t, or -1. */
    int warmer(int t, int f) {
        return prev[t][f];
    }

    /** Makes {@code f} the most recent of tier t (adding it if absent). */
    void touch(int t, int f) {
        if (member[t][f]) {
            if (head[t] == f) {
                return;
            }
            unlink(t, f);
        }
        linkAfter(t, NIL, f);
    }

    void remove(int t, int f) {
        if (member[t][f]) {
            unlink(t, f);
        }
    }

    /** Adds {@code f} (if absent) at its place by last access {@code at}, searching from the cold end. */
    void insertByAge(int t, int f, long[] lastAccess) {
        if (member[t][f]) {
            return;
        }
        long at = lastAccess[f];
        if (head[t] == NIL || lastAccess[head[t]] <= at) {
            linkAfter(t, NIL, f);
            return;
        }
        int cur = tail[t];
        int steps = 0;
        while (cur != NIL && lastAccess[cur] < at && steps++ < MAX_WALK) {
            cur = prev[t][cur];
        }
        linkAfter(t, cur, f);
    }

    /** Links {@code f} just colder than {@code warmerNode} (at the head when NIL). */
    private void linkAfter(int t, int warmerNode, int f) {
        int colder = warmerNode == NIL ? head[t] : next[t][warmerNode];
        prev[t][f] = warmerNode;
        next[t][f] = colder;
        if (warmerNode == NIL) {
            head[t] = f;
        } else {
            next[t][warmerNode] = f;
        }
        if (colder == NIL) {
            tail[t] = f;
        } else {
            prev[t][colder] = f;
        }
        member[t][f] = true;
        count[t]++;
    }

    private void unlink(int t, int f) {
        int p = prev[t][f];
        int n = next[t][f];
        if (p == NIL) {
            head[t] = n;
        } else {
            next[t][p] = n;
        }
        if (n == NIL) {
            tail[t] = p;
        } else {
            prev[t][n] = p;
        }
        member[t][f] = false;
        count[t]--;
    }
}
