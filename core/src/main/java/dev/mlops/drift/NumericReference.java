package dev.mlops.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams one numeric column of the reference data. The bin edges are the 5% quantiles of the first
 * {@value #EDGE_SAMPLE} values (fixed from then on, so every later value is counted exactly in one
 * bin); moments, min and max are exact; the sample is a seeded reservoir.
 */
final class NumericReference {
    static final int EDGE_SAMPLE = 10_000;
    static final int BINS = 20;

    private final String name;
    private final Reservoir reservoir;
    private final double[] firstValues = new double[EDGE_SAMPLE];
    private int buffered;
    private double[] edges;
    private long[] binCounts;
    private final double[] distinctValues = new double[ReferenceProfiler.MAX_DISCRETE];
    private final long[] distinctCounts = new long[ReferenceProfiler.MAX_DISCRETE];
    private int distinct;
    private boolean manyDistinct;
    private long count;
    private long missing;
    private long invalid;
    private double shift = Double.NaN;
    private double sum;
    private double sumSq;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    NumericReference(String name, int sampleSize, long seed) {
        this.name = name;
        this.reservoir = new Reservoir(sampleSize, seed);
    }

    void missing() {
        missing++;
    }

    void invalid() {
        invalid++;
    }

    void add(double v) {
        count++;
        if (shift != shift) {
            shift = v;
        }
        double d = v - shift;
        sum += d;
        sumSq += d * d;
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
        if (!manyDistinct) {
            trackDistinct(v);
        }
        reservoir.add(v);
        if (edges == null) {
            firstValues[buffered++] = v;
            if (buffered == EDGE_SAMPLE) {
                fixEdges();
            }
        } else {
            binCounts[bin(edges, v)]++;
        }
    }

    private void trackDistinct(double v) {
        for (int i = 0; i < distinct; i++) {
            if (distinctValues[i] == v) {
                distinctCounts[i]++;
                return;
            }
        }
        if (distinct == distinctValues.length) {
            manyDistinct = true;
            return;
        }
        distinctValues[distinct] = v;
        distinctCounts[distinct++] = 1;
    }

    private void fixEdges() {
        double[] sorted = Arrays.copyOf(firstValues, buffered);
        Arrays.sort(sorted);
        double[] candidate = new double[BINS - 1];
        int n = 0;
        for (int k = 1; k < BINS && sorted.length > 0; k++) {
            double q = sorted[Math.min(sorted.length - 1, (int) ((long) k * sorted.length / BINS))];
            if (n == 0 || q > candidate[n - 1]) {
                candidate[n++] = q;
            }
        }
        edges = Arrays.copyOf(candidate, n);
        binCounts = new long[n + 1];
        for (int i = 0; i < buffered; i++) {
            binCounts[bin(edges, firstValues[i])]++;
        }
    }

    /** The bin of {@code v}: the first i with v ≤ edges[i], else edges.length. */
    static int bin(double[] edges, double v) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (v <= edges[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    ColumnProfile finish() {
        if (edges == null) {
            fixEdges();
        }
        double[] sample = reservoir.sorted();
        Double mean = null;
        Double std = null;
        if (count > 0) {
            double m = sum / count;
            mean = shift + m;
            std = Math.sqrt(Math.max(sumSq / count - m * m, 0));
        }
        List<Double> values = null;
        List<Long> valueCounts = null;
        if (!manyDistinct && distinct > 0) {
            Integer[] order = new Integer[distinct];
            for (int i = 0; i < distinct; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(distinctValues[a], distinctValues[b]));
            values = new ArrayList<>();
            valueCounts = new ArrayList<>();
            for (int i : order) {
                values.add(distinctValues[i]);
                valueCounts.add(distinctCounts[i]);
            }
        }
        return new ColumnProfile(name, ColumnProfile.NUMERIC, count, missing, invalid, mean, std,
                count > 0 ? min : null, count > 0 ? max : null, boxed(edges), boxed(binCounts),
                count > 0 ? boxed(quantiles(sample, min, max)) : List.of(), boxed(sample), values, valueCounts,
                null, null, null, manyDistinct ? ReferenceProfiler.MAX_DISCRETE + 1 : distinct);
    }

    /** Percentiles 0..100 of the sorted sample, linear interpolation as numpy's default; the ends are the exact min and max. */
    static double[] quantiles(double[] sorted, double min, double max) {
        double[] q = new double[101];
        if (sorted.length == 0) {
            return new double[0];
        }
        for (int p = 0; p <= 100; p++) {
            double position = p / 100.0 * (sorted.length - 1);
            int lo = (int) Math.floor(position);
            int hi = Math.min(lo + 1, sorted.length - 1);
            q[p] = sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
        }
        q[0] = min;
        q[100] = max;
        return q;
    }

    static List<Double> boxed(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    static List<Long> boxed(long[] values) {
        List<Long> out = new ArrayList<>(values.length);
        for (long v : values) {
            out.add(v);
        }
        return out;
    }
}
