package dev.mlops.evaluate;

import java.util.SplittableRandom;

/**
 * Exact Poisson variates for the Poisson bootstrap.
 *
 * <p>{@link #fillPoisson1} draws per-row weights ~ Poisson(1) by inversion of a 53-bit uniform
 * against the CDF, sped up with a 4096-cell guide table: 12 uniform bits pick a cell, and in all
 * but 7 of the 4096 cells no CDF step falls inside the cell, so those 12 bits decide the weight
 * alone. Five weights therefore come from one 64-bit SplitMix64 output. In the 7 ambiguous cells
 * (0.17% of draws) the position inside the cell is completed with 41 fresh bits and compared
 * exactly. Every weight has exactly the distribution of plain 53-bit inversion.
 *
 * <p>{@link #poisson(double, SplittableRandom)} draws Poisson(mean) for any mean: inversion
 * below 10, Hörmann's PTRS transformed rejection (the algorithm numpy uses) from 10 up.
 */
final class PoissonSampler {
    /** SplitMix64's increment (the golden gamma of {@link SplittableRandom}). */
    static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final int UNIFORM_BITS = 53;
    private static final long ONE = 1L << UNIFORM_BITS;
    private static final int CELL_BITS = 12;
    static final int CELL_MASK = (1 << CELL_BITS) - 1;
    private static final int CELL_SHIFT = UNIFORM_BITS - CELL_BITS;
    /** Weights drawn from one 64-bit output. */
    static final int PER_OUTPUT = 5;
    /** THRESHOLDS[k] = round(P(X <= k) * 2^53) for X ~ Poisson(1); the last entry is 2^53. */
    private static final long[] THRESHOLDS;
    /** The weight every uniform in the cell maps to, or -1 where a CDF step lies inside the cell. */
    private static final byte[] CELL_WEIGHT;

    static {
        double[] cdf = new double[24];
        double p = Math.exp(-1.0);
        double sum = 0;
        for (int k = 0; k < cdf.length; k++) {
            if (k > 0) {
                p /= k;
            }
            sum += p;
            cdf[k] = sum;
        }
        long[] t = new long[cdf.length];
        for (int k = 0; k < t.length; k++) {
            t[k] = Math.min(ONE, Math.round(cdf[k] * ONE));
        }
        t[t.length - 1] = ONE;
        THRESHOLDS = t;
        int cells = 1 << CELL_BITS;
        byte[] weights = new byte[cells];
        for (int c = 0; c < cells; c++) {
            long start = (long) c << CELL_SHIFT;
            long end = (long) (c + 1) << CELL_SHIFT;
            int k = 0;
            while (t[k] <= start) {
                k++;
            }
            weights[c] = t[k] >= end ? (byte) k : (byte) -1;
        }
        CELL_WEIGHT = weights;
    }

    private PoissonSampler() {
    }

    /** SplitMix64's output function. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * Fills {@code out[from, to)} with independent Poisson(1) weights from the SplitMix64 stream
     * whose state is {@code state[0]}, advances the state and returns the sum of the weights.
     */
    static int fillPoisson1(long[] stateHolder, byte[] out, int from, int to) {
        final int mask = CELL_MASK;
        long state = stateHolder[0];
        int total = 0;
        int i = from;
        for (; i + 5 <= to; i += 5) {
            state += GOLDEN_GAMMA;
            long z = mix64(state);
            int c0 = (int) (z >>> 52) & mask;
            int c1 = (int) (z >>> 40) & mask;
            int c2 = (int) (z >>> 28) & mask;
            int c3 = (int) (z >>> 16) & mask;
            int c4 = (int) (z >>> 4) & mask;
            int w0 = CELL_WEIGHT[c0];
            int w1 = CELL_WEIGHT[c1];
            int w2 = CELL_WEIGHT[c2];
            int w3 = CELL_WEIGHT[c3];
            int w4 = CELL_WEIGHT[c4];
            if ((w0 | w1 | w2 | w3 | w4) < 0) {
                if (w0 < 0) {
                    state += GOLDEN_GAMMA;
                    w0 = refine(c0, mix64(state));
                }
                if (w1 < 0) {
                    state += GOLDEN_GAMMA;
                    w1 = refine(c1, mix64(state));
                }
                if (w2 < 0) {
                    state += GOLDEN_GAMMA;
                    w2 = refine(c2, mix64(state));
                }
                if (w3 < 0) {
                    state += GOLDEN_GAMMA;
                    w3 = refine(c3, mix64(state));
                }
                if (w4 < 0) {
                    state += GOLDEN_GAMMA;
                    w4 = refine(c4, mix64(state));
                }
            }
            total += w0 + w1 + w2 + w3 + w4;
            out[i] = (byte) w0;
            out[i + 1] = (byte) w1;
            out[i + 2] = (byte) w2;
            out[i + 3] = (byte) w3;
            out[i + 4] = (byte) w4;
        }
        if (i < to) {
            state += GOLDEN_GAMMA;
            long z = mix64(state);
            for (int shift = 64 - CELL_BITS; i < to; i++, shift -= CELL_BITS) {
                int cell = (int) (z >>> shift) & mask;
                int w = CELL_WEIGHT[cell];
                if (w < 0) {
                    state += GOLDEN_GAMMA;
                    w = refine(cell, mix64(state));
                }
                total += w;
                out[i] = (byte) w;
            }
        }
        stateHolder[0] = state;
        return total;
    }

    /**
     * Five Poisson(1) weights from one SplitMix64 output {@code z = mix64(state)}, packed five
     * bits each (weight t in bits 5t..5t+4; weights never exceed 23). An ambiguous cell is
     * completed with the stream's next outputs, {@code mix64(state + γ)}, {@code mix64(state + 2γ)}
     * and so on in cell order; how many were used is in bits 25..27, and the caller advances its
     * state by that many γ. Consumes the stream exactly as {@link #fillPoisson1} does for a group
     * of five. Kept small so the JIT inlines it into the bootstrap loops.
     */
    static long weights5(long state, long z) {
        final int mask = CELL_MASK;
        int w0 = CELL_WEIGHT[(int) (z >>> 52) & mask];
        int w1 = CELL_WEIGHT[(int) (z >>> 40) & mask];
        int w2 = CELL_WEIGHT[(int) (z >>> 28) & mask];
        int w3 = CELL_WEIGHT[(int) (z >>> 16) & mask];
        int w4 = CELL_WEIGHT[(int) (z >>> 4) & mask];
        if ((w0 | w1 | w2 | w3 | w4) < 0) {
            return refined(state, z, 5);
        }
        return w0 | (long) w1 << 5 | (long) w2 << 10 | (long) w3 << 15 | (long) w4 << 20;
    }

    /** {@link #weights5} using only the first {@code count} cells (for the last, partial group). */
    static long weightsPartial(long state, long z, int count) {
        return refined(state, z, count);
    }

    /** The general path of {@link #weights5}: any cell may be ambiguous. */
    private static long refined(long state, long z, int count) {
        final int mask = CELL_MASK;
        long packed = 0;
        long extra = 0;
        long s = state;
        for (int t = 0; t < count; t++) {
            int cell = (int) (z >>> (52 - 12 * t)) & mask;
            int w = CELL_WEIGHT[cell];
            if (w < 0) {
                s += GOLDEN_GAMMA;
                w = refine(cell, mix64(s));
                extra++;
            }
            packed |= (long) w << (5 * t);
        }
        return packed | extra << 25;
    }

    /** The cell table itself (not a copy: callers only read it), for loops that inline {@link #weights5}. */
    static byte[] cellWeights() {
        return CELL_WEIGHT;
    }

    /** Completes the position inside an ambiguous cell with fresh bits and inverts exactly. */
    private static int refine(int cell, long bits) {
        return inversion(((long) cell << CELL_SHIFT) | (bits >>> (64 - CELL_SHIFT)));
    }

    /** The weight the cell table gives the 53-bit uniform {@code u} (the fill path, for tests). */
    static int poisson1ViaCells(long u) {
        int cell = (int) (u >>> CELL_SHIFT);
        int w = CELL_WEIGHT[cell];
        return w >= 0 ? w : inversion(u);
    }

    /** The weight plain 53-bit inversion gives the uniform {@code u}. */
    static int inversion(long u) {
        int k = 0;
        while (u >= THRESHOLDS[k]) {
            k++;
        }
        return k;
    }

    static long[] thresholds() {
        return THRESHOLDS.clone();
    }

    static int ambiguousCells() {
        int n = 0;
        for (byte w : CELL_WEIGHT) {
            n += w < 0 ? 1 : 0;
        }
        return n;
    }

    /** One draw of Poisson(mean), mean >= 0. */
    static long poisson(double mean, SplittableRandom rng) {
        if (mean <= 0) {
            return 0;
        }
        if (mean < 10) {
            return smallMean(mean, rng);
        }
        return ptrs(mean, rng);
    }

    /** Sequential-search inversion, for means below 10. */
    private static long smallMean(double mean, SplittableRandom rng) {
        double u = rng.nextDouble();
        double p = Math.exp(-mean);
        double cdf = p;
        long k = 0;
        while (u > cdf) {
            k++;
            p *= mean / k;
            double next = cdf + p;
            if (next == cdf) {
                break; // tail below double resolution
            }
            cdf = next;
        }
        return k;
    }

    /** W. Hörmann, "The transformed rejection method for generating Poisson random variables", 1993. */
    private static long ptrs(double lam, SplittableRandom rng) {
        double slam = Math.sqrt(lam);
        double loglam = Math.log(lam);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invalpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = rng.nextDouble() - 0.5;
            double v = rng.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lam + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b)
                    <= -lam + k * loglam - logGamma(k + 1.0)) {
                return k;
            }
        }
    }

    /** log Γ(x) for x >= 1 (Stirling series after shifting x above 7, as in numpy's random_loggam). */
    static double logGamma(double x) {
        final double[] a = {8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
            -5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03, 6.410256410256410e-03,
            -2.955065359477124e-02, 1.796443723688307e-01, -1.39243221690590e+00};
        if (x == 1.0 || x == 2.0) {
            return 0.0;
        }
        double x0 = x;
        int n = 0;
        if (x <= 7.0) {
            n = (int) (7 - x);
            x0 = x + n;
        }
        double x2 = 1.0 / (x0 * x0);
        double xp = 2 * Math.PI;
        double gl0 = a[9];
        for (int k = 8; k >= 0; k--) {
            gl0 = gl0 * x2 + a[k];
        }
        double gl = gl0 / x0 + 0.5 * Math.log(xp) + (x0 - 0.5) * Math.log(x0) - x0;
        if (x <= 7.0) {
            for (int k = 1; k <= n; k++) {
                gl -= Math.log(x0 - 1.0);
                x0 -= 1.0;
            }
        }
        return gl;
    }
}
