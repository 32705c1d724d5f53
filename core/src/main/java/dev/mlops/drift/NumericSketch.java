package dev.mlops.drift;

import java.util.Arrays;

/**
 * The current values of one numeric column as counts per {@link ReferencePoints} slot and sums per gap, in
 * one O(n log m) pass with memory O(m) (m = reference points, about 5,000), never O(n). From these:
 * <ul>
 *   <li>bin, discrete-value and out-of-range counts: exact;</li>
 *   <li>the two-sample KS statistic between the reference sample and the <em>whole</em> current column: exact,
 *   since the reference CDF is constant between its points and the current CDF is monotone, so the supremum of
 *   |F_ref − F_cur| is reached at a reference point or just below one; p-value from the limiting Kolmogorov
 *   distribution at √(n·m/(n+m))·D;</li>
 *   <li>the Wasserstein distance: exact on every gap where F_cur does not cross F_ref; in a crossing gap of width
 *   L it is estimated with F_cur linear across the gap and its error is at most 2·L·min(F_ref − F_cur(left),
 *   F_cur(right) − F_ref), summed into {@link Wasserstein#errorBound()}.</li>
 * </ul>
 * The first {@code exactCap} values are also kept, so a window of at most {@value DriftStatistics#KS_EXACT_MAX}
 * values gets the exact KS p-value and the exact Wasserstein distance, as scipy would compute them.
 */
final class NumericSketch {
    final ReferencePoints reference;
    final long[] slots;
    final double[] gapSums;
    private double[] exact;
    private int exactSize;
    private boolean overflowed;

    NumericSketch(ReferencePoints reference, int exactCap) {
        this.reference = reference;
        this.slots = new long[2 * reference.size() + 1];
        this.gapSums = new double[reference.size() + 1];
        this.exact = new double[Math.max(0, exactCap)];
    }

    int exactCap() {
        return exact.length;
    }

    /** Counts {@code v} and returns its slot. */
    int add(double v) {
        int slot = reference.slot(v);
        slots[slot]++;
        if ((slot & 1) == 0) {
            gapSums[slot >> 1] += v;
        }
        if (exactSize < exact.length) {
            exact[exactSize++] = v;
        } else {
            overflowed = true;
        }
        return slot;
    }

    /** Adds {@code other} (the same reference, another part of the window) into this one. */
    void merge(NumericSketch other) {
        for (int i = 0; i < slots.length; i++) {
            slots[i] += other.slots[i];
        }
        for (int i = 0; i < gapSums.length; i++) {
            gapSums[i] += other.gapSums[i];
        }
        if (!overflowed && !other.overflowed && exactSize + other.exactSize <= exact.length) {
            System.arraycopy(other.exact, 0, exact, exactSize, other.exactSize);
            exactSize += other.exactSize;
        } else {
            overflowed = true;
            exact = new double[0];
            exactSize = 0;
        }
    }

    /** Every current value, sorted, when there were at most exactCap of them; null otherwise. */
    double[] exactValues() {
        if (overflowed) {
            return null;
        }
        double[] sorted = Arrays.copyOf(exact, exactSize);
        Arrays.sort(sorted);
        return sorted;
    }

    long total() {
        long n = 0;
        for (long c : slots) {
            n += c;
        }
        return n;
    }

    /** KS statistic between the reference sample and all current values (exact), asymptotic p-value. */
    DriftStatistics.Result ks() {
        long n = total();
        int m = reference.sampleSize;
        if (n == 0 || m == 0) {
            return new DriftStatistics.Result(Double.NaN, Double.NaN);
        }
        double d = 0;
        long below = 0;
        for (int j = 0; j < reference.size(); j++) {
            below += slots[2 * j];
            long atOrBelow = below + slots[2 * j + 1];
            d = Math.max(d, Math.abs((double) reference.sampleBelow[j] / m - (double) below / n));
            d = Math.max(d, Math.abs((double) reference.sampleAtOrBelow[j] / m - (double) atOrBelow / n));
            below = atOrBelow;
        }
        return new DriftStatistics.Result(d, DriftStatistics.kolmogorovSurvival(d * Math.sqrt((double) n * m / ((double) n + m))));
    }

    /** The Wasserstein distance between the reference sample and all current values, and a bound on its error. */
    record Wasserstein(double distance, double errorBound) {
    }

    Wasserstein wasserstein() {
        long n = total();
        int m = reference.sampleSize;
        int k = reference.size();
        if (n == 0 || m == 0) {
            return new Wasserstein(Double.NaN, 0);
        }
        double[] p = reference.points;
        // below the first point F_ref = 0; above the last F_ref = 1: both exact
        double total = (slots[0] * p[0] - gapSums[0]) / n;
        total += (gapSums[k] - slots[2 * k] * p[k - 1]) / n;
        double bound = 0;
        long atOrBelow = slots[0] + slots[1];
        for (int j = 0; j + 1 < k; j++) {
            double width = p[j + 1] - p[j];
            long inGap = slots[2 * (j + 1)];
            double a = (double) reference.sampleAtOrBelow[j] / m;
            double c0 = (double) atOrBelow / n;
            double c1 = (double) (atOrBelow + inGap) / n;
            double integral = c0 * width + (inGap * p[j + 1] - gapSums[j + 1]) / n;
            double lower = Math.abs(a * width - integral);
            if (c0 < a && a < c1) {
                double slack = 2 * width * Math.min(a - c0, c1 - a);
                double t = (a - c0) / (c1 - c0);
                double linear = width * ((a - c0) * t + (c1 - a) * (1 - t)) / 2;
                total += Math.min(Math.max(linear, lower), lower + slack);
                bound += slack;
            } else {
                total += lower;
            }
            atOrBelow += inGap + slots[2 * (j + 1) + 1];
        }
        return new Wasserstein(total, bound);
    }
}
