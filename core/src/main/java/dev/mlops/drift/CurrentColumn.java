package dev.mlops.drift;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Streams one column of the current window against its reference profile: missing, invalid and new values,
 * moments, and for numbers a {@link NumericSketch} (counts per reference point and gap) from which bins,
 * out-of-range counts, KS and Wasserstein follow; for categories, counts per reference category.
 * Memory depends on the profile, never on the number of rows. Call {@link #finish()} before reading counts.
 */
final class CurrentColumn {
    static final int MAX_NEW_TRACKED = 1000;

    final ColumnProfile reference;
    private final boolean numeric;
    private final ReferencePoints points;
    private final NumericSketch sketch;
    private final boolean discrete;
    private final double refMin;
    private final double refMax;
    /** Numeric: per reference bin. Discrete numeric: per reference value, last = a value the reference never had. Categorical: per top-K category, last = not in the top K. */
    final long[] counts;
    final long[] binCounts;
    /** Read-only after construction, so partial columns of parallel readers share it. */
    private final ByteKeyCounter known;
    final ByteKeyCounter unseen;
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

    /** @param exactCap keep up to this many values (at most {@value DriftStatistics#KS_EXACT_MAX}) for exact small-window tests */
    CurrentColumn(ColumnProfile reference, int exactCap) {
        this(reference, reference.isNumeric() ? new ReferencePoints(reference) : null, null, exactCap);
    }

    /** A column sharing the read-only lookups of {@code template} (for a parallel reader's partial window). */
    CurrentColumn(CurrentColumn template) {
        this(template.reference, template.points, template.known, template.sketch == null ? 0 : template.sketch.exactCap());
    }

    private CurrentColumn(ColumnProfile reference, ReferencePoints points, ByteKeyCounter known, int exactCap) {
        this.reference = reference;
        this.shift = reference.mean() == null ? 0 : reference.mean();
        this.numeric = reference.isNumeric();
        if (numeric) {
            this.points = points;
            sketch = new NumericSketch(points, Math.min(exactCap, DriftStatistics.KS_EXACT_MAX));
            discrete = reference.isDiscrete();
            refMin = reference.min() == null ? Double.NaN : reference.min();
            refMax = reference.max() == null ? Double.NaN : reference.max();
            binCounts = new long[reference.edgeArray().length + 1];
            counts = discrete ? new long[reference.values().size() + 1] : binCounts;
            this.known = null;
            unseen = discrete ? new ByteKeyCounter(MAX_NEW_TRACKED) : null;
        } else {
            this.points = null;
            sketch = null;
            discrete = false;
            refMin = Double.NaN;
            refMax = Double.NaN;
            binCounts = null;
            counts = new long[reference.categories().size() + 1];
            if (known == null) {
                known = new ByteKeyCounter(Integer.MAX_VALUE);
                reference.categories().forEach(known::put);
            }
            this.known = known;
            unseen = new ByteKeyCounter(MAX_NEW_TRACKED);
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
        int slot = sketch.add(v);
        if (discrete && ((slot & 1) == 0 || points.pointValue[slot >> 1] < 0)) {
            byte[] text = Cells.category(v).getBytes(StandardCharsets.UTF_8);
            unseen.add(text, 0, text.length);
        }
    }

    /** A numeric column already in memory: the same as {@link #number} per value, with the running sums in locals. */
    void numbers(double[] column) {
        if (!numeric || discrete) {
            for (double v : column) {
                number(v);
            }
            return;
        }
        long n = 0;
        long nan = 0;
        double s = 0;
        double sq = 0;
        double lo = min;
        double hi = max;
        NumericSketch k = sketch;
        for (double v : column) {
            if (v != v) {
                nan++;
                continue;
            }
            n++;
            double d = v - shift;
            s += d;
            sq += d * d;
            if (v < lo) {
                lo = v;
            }
            if (v > hi) {
                hi = v;
            }
            k.add(v);
        }
        count += n;
        missing += nan;
        sum += s;
        sumSq += sq;
        min = lo;
        max = hi;
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
        category(b, s, e, 1);
    }

    /** {@code times} occurrences of one category (in-memory dictionary-coded columns count each code once). */
    void category(byte[] b, int s, int e, long times) {
        count += times;
        int i = known.find(b, s, e);
        if (i >= 0) {
            counts[i] += times;
        } else {
            counts[counts.length - 1] += times;
            unseen.add(b, s, e, times);
        }
    }

    /** Adds {@code other} (the same reference column, another part of the window) into this one. */
    void merge(CurrentColumn other) {
        if (!numeric) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] += other.counts[i];
            }
        }
        count += other.count;
        missing += other.missing;
        invalid += other.invalid;
        sum += other.sum;
        sumSq += other.sumSq;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        if (unseen != null) {
            for (int i = 0; i < other.unseen.size(); i++) {
                byte[] key = other.unseen.key(i).getBytes(StandardCharsets.UTF_8);
                unseen.add(key, 0, key.length, other.unseen.count(i));
            }
            unseen.addOverflow(other.unseen.overflow());
        }
        if (sketch != null) {
            sketch.merge(other.sketch);
        }
    }

    /** Derives the numeric counts (bins, discrete values, out of range) from the sketch; idempotent. */
    void finish() {
        if (!numeric) {
            return;
        }
        long[] slots = sketch.slots;
        Arrays.fill(binCounts, 0);
        for (int s = 0; s < slots.length; s++) {
            binCounts[points.slotBin[s]] += slots[s];
        }
        if (discrete) {
            Arrays.fill(counts, 0);
            int unseenSlot = counts.length - 1;
            for (int j = 0; j < points.size(); j++) {
                int value = points.pointValue[j];
                counts[value >= 0 ? value : unseenSlot] += slots[2 * j + 1];
                counts[unseenSlot] += slots[2 * j];
            }
            counts[unseenSlot] += slots[slots.length - 1];
        }
        below = refMin == refMin ? sum(slots, 0, points.slot(refMin)) : 0;
        above = refMax == refMax ? sum(slots, points.slot(refMax) + 1, slots.length) : 0;
    }

    private static long sum(long[] values, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i++) {
            s += values[i];
        }
        return s;
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

    NumericSketch sketch() {
        return sketch;
    }
}
