package io.tierfs.simulator.workload;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws ranks 0..n-1 with probability proportional to 1/(rank+1)^s (inverse CDF by binary search), mapped
 * through a seeded permutation so that popularity is not the file numbering.
 */
public final class ZipfSampler {
    private final double[] cdf;
    private final int[] perm;

    public ZipfSampler(int n, double s, SplittableRandom rnd) {
        cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
    }

    /** The popularity rank drawn for uniform {@code u} in [0,1). */
    public int rank(double u) {
        int i = Arrays.binarySearch(cdf, u);
        int r = i >= 0 ? i : -i - 1;
        return Math.min(r, cdf.length - 1);
    }

    /** The item drawn for {@code u}: the rank mapped through the permutation. */
    public int sample(double u) {
        return perm[rank(u)];
    }
}
