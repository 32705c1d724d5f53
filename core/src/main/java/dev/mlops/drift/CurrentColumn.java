package dev.mlops.drift;

import java.nio.charset.StandardCharsets;

/**
 * Streams one column of the current window against its reference profile: counts in the reference's
 * bins (or values or categories), missing, invalid, out-of-range and new values, moments, and a
 * seeded reservoir sample (bounded by {@code sampleCap}) for KS and Wasserstein.
 */
final class CurrentColumn {
    static final int MAX_NEW_TRACKED = 1000;

    final ColumnProfile reference;
    private final boolean numeric;
    private final double[] edges;
    private final double[] values;
    private final double refMin;
    private final double refMax;
    /** Numeric: per reference bin. Discrete numeric: per reference value, last = a value the reference never had. Categorical: per top-K category, last = not in the top K. */
    final long[] counts;
    final long[] binCounts;
    private final ByteKeyCounter known;
    final ByteKeyCounter unseen;
    private final Reservoir reservoir;
    long count;
    long missing;
    long invalid;
    long below;
    long above;
    /** The reference mean: sums of (v - shift) stay small, so the variance keeps its precision, and windows merge by adding. */
    private final double shift;
    private double sum;
    private double sumSq;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    CurrentColumn(ColumnProfile reference, int sampleCap, long seed) {
        this.reference = reference;
        this.shift = reference.mean() == null ? 0 : reference.mean();
        this.numeric = reference.isNumeric();
        if (numeric) {
            edges = reference.edgeArray();
            values = reference.isDiscrete() ? reference.valueArray() : null;
            refMin = reference.min() == null ? Double.NaN : reference.min();
            refMax = reference.max() == null ? Double.NaN : reference.max();
            binCounts = new long[edges.length + 1];
            counts = values != null ? new long[values.length + 1] : binCounts;
            known = null;
            unseen = values != null ? new ByteKeyCounter(MAX_NEW_TRACKED) : null;
            reservoir = new Reservoir(sampleCap, seed);
        } else {
            edges = null;
            values = null;
            refMin = Double.NaN;
            refMax = Double.NaN;
            binCounts = null;
            counts = new long[reference.categories().size() + 1];
            known = new ByteKeyCounter(Integer.MAX_VALUE);
            reference.categories().forEach(known::put);
            unseen = new ByteKeyCounter(MAX_NEW_TRACKED);
            reservoir = null;
        }
    }

    boolean isNumeric() {
        return numeric;
    }

    void missing() {
        missing++;
    }

    /** A CSV cell. */
    void cell(byte[] b, int s, int e) {
        if (numeric) {
            double v = Cells.number(b, s, e);
            if (v == v) {
                number(v);
            } else if (Cells.isMissing(b, s, e)) {
                missing++;
            } else {
                invalid++;
            }
        } else if (Cells.isMissing(b, s, e)) {
            missing++;
        } else {
            category(b, s, e);
        }
    }

    /** A number (from a CSV cell or a logged input); a categorical column takes it as its text. */
    void number(double v) {
        if (!numeric) {
            byte[] text = Cells.category(v).getBytes(StandardCharsets.UTF_8);
            category(text, 0, text.length);
            return;
        }
        if (v != v) {
            missing++;
            return;
        }
        count++;
        double d = v - shift;
        sum += d;
        sumSq += d * d;
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
        if (v < refMin) {
            below++;
        } else if (v > refMax) {
            above++;
        }
        binCounts[NumericReference.bin(edges, v)]++;
        if (values != null) {
            int i = java.util.Arrays.binarySearch(values, v);
            if (i >= 0) {
                counts[i]++;
            } else {
                counts[values.length]++;
                byte[] text = Cells.category(v).getBytes(StandardCharsets.UTF_8);
                unseen.add(text, 0, text.length);
            }
        }
        reservoir.add(v);
    }

    /** In-memory categories repeat the same few strings: remember where each went instead of hashing its bytes again. */
    private final java.util.HashMap<String, Integer> memo = new java.util.HashMap<>();

    void category(String value) {
        Integer slot = memo.get(value);
        if (slot != null && slot >= 0) {
            count++;
            counts[slot]++;
            return;
        }
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        if (slot == null && memo.size() < 10_000) {
            memo.put(value, known.find(text, 0, text.length));
        }
        category(text, 0, text.length);
    }

    void category(byte[] b, int s, int e) {
        count++;
        int i = known.find(b, s, e);
        if (i >= 0) {
            counts[i]++;
        } else {
            counts[counts.length - 1]++;
            unseen.add(b, s, e);
        }
    }

    /** Adds {@code other} (the same reference column, another part of the window) into this one. */
    void merge(CurrentColumn other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        if (binCounts != null && binCounts != counts) {
            for (int i = 0; i < binCounts.length; i++) {
                binCounts[i] += other.binCounts[i];
            }
        }
        count += other.count;
        missing += other.missing;
        invalid += other.invalid;
        below += other.below;
        above += other.above;
        sum += other.sum;
        sumSq += other.sumSq;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        if (unseen != null) {
            for (int i = 0; i < other.unseen.size(); i++) {
                byte[] key = other.unseen.key(i).getBytes(StandardCharsets.UTF_8);
                int at = unseen.add(key, 0, key.length);
                if (at >= 0) {
                    unseen.increment(at, other.unseen.count(i) - 1);
                }
            }
        }
        if (reservoir != null) {
            reservoir.merge(other.reservoir);
        }
    }

    Double mean() {
        return count == 0 || !numeric ? null : shift + sum / count;
    }

    Double std() {
        if (count == 0 || !numeric) {
            return null;
        }
        double m = sum / count;
        return Math.sqrt(Math.max(sumSq / count - m * m, 0));
    }

    double[] sortedSample() {
        return reservoir == null ? new double[0] : reservoir.sorted();
    }
}
