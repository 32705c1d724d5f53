package dev.mlops.drift;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * The sorted distinct points of a numeric reference column (its sample, bin edges, min, max, discrete values)
 * and a lookup from a value to its slot: slot {@code 2j} is the open gap below point j (gap k above the last
 * point), slot {@code 2j+1} is point j itself. Counting current values per slot, plus their sum per gap, is
 * enough to give every numeric method exactly: bins, out-of-range counts, discrete values and the KS statistic
 * against the reference sample (see {@link NumericSketch}). A bucket table over [first, last] makes the lookup
 * a few comparisons instead of a 13-step binary search.
 */
final class ReferencePoints {
    final double[] points;
    /** Reference sample values &lt; points[j] and ≤ points[j]. */
    final int[] sampleBelow;
    final int[] sampleAtOrBelow;
    final int sampleSize;
    /** The reference bin (NumericReference#bin) of each slot. */
    final int[] slotBin;
    /** Discrete columns: the index in the profile's values of each point, -1 for points that are not such a value. */
    final int[] pointValue;
    private final int[] bucketStart;
    private final double first;
    private final double bucketsPerUnit;
    private final int lastBucket;

    ReferencePoints(ColumnProfile reference) {
        double[] sample = reference.sampleArray();
        Arrays.sort(sample);
        double[] edges = reference.edgeArray();
        double[] values = reference.valueArray();
        TreeSet<Double> all = new TreeSet<>();
        for (double v : sample) {
            all.add(v);
        }
        for (double v : edges) {
            all.add(v);
        }
        for (double v : values) {
            all.add(v);
        }
        if (reference.min() != null) {
            all.add(reference.min());
        }
        if (reference.max() != null) {
            all.add(reference.max());
        }
        points = all.stream().mapToDouble(Double::doubleValue).toArray();
        int k = points.length;
        sampleSize = sample.length;
        sampleBelow = new int[k];
        sampleAtOrBelow = new int[k];
        int i = 0;
        for (int j = 0; j < k; j++) {
            while (i < sample.length && sample[i] < points[j]) {
                i++;
            }
            sampleBelow[j] = i;
            while (i < sample.length && sample[i] == points[j]) {
                i++;
            }
            sampleAtOrBelow[j] = i;
        }
        slotBin = new int[2 * k + 1];
        for (int j = 0; j < k; j++) {
            int bin = NumericReference.bin(edges, points[j]);
            slotBin[2 * j] = bin;
            slotBin[2 * j + 1] = bin;
        }
        slotBin[2 * k] = edges.length;
        pointValue = new int[k];
        for (int j = 0; j < k; j++) {
            pointValue[j] = values.length == 0 ? -1 : Math.max(Arrays.binarySearch(values, points[j]), -1);
        }
        int buckets = k < 2 ? 1 : Integer.highestOneBit(Math.min(k, 1 << 16)) * 4;
        first = k == 0 ? 0 : points[0];
        double span = k < 2 ? 0 : points[k - 1] - points[0];
        bucketsPerUnit = span > 0 && Double.isFinite(span) ? buckets / span : 0;
        lastBucket = buckets - 1;
        bucketStart = new int[buckets + 1];
        int j = 0;
        for (int b = 0; b <= buckets; b++) {
            double lo = first + b / bucketsPerUnit;
            while (j < k && (bucketsPerUnit == 0 ? b > 0 : points[j] < lo)) {
                j++;
            }
            bucketStart[b] = b == buckets ? k : j;
        }
        // the first bucket starts at point 0 whatever the rounding of lo
        bucketStart[0] = 0;
    }

    int size() {
        return points.length;
    }

    /** The slot of a finite (or infinite) non-NaN value. */
    int slot(double v) {
        double[] p = points;
        int k = p.length;
        if (k == 0) {
            return 0;
        }
        if (v <= first) {
            return v == first ? 1 : 0;
        }
        int b = (int) ((v - first) * bucketsPerUnit);
        if (b > lastBucket || b < 0) {
            b = lastBucket;
        }
        int lo = bucketStart[b];
        int hi = bucketStart[b + 1];
        // the first j in [lo, hi] with p[j] ≥ v (v > p[lo - 1] by construction of the buckets)
        if (hi - lo > 8) {
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (p[mid] < v) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
        } else {
            while (lo < hi && p[lo] < v) {
                lo++;
            }
        }
        // rounding of the bucket arithmetic can misplace v by one bucket: settle on the exact lower bound
        while (lo > 0 && p[lo - 1] >= v) {
            lo--;
        }
        while (lo < k && p[lo] < v) {
            lo++;
        }
        return lo < k && p[lo] == v ? 2 * lo + 1 : 2 * lo;
    }
}
