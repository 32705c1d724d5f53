package dev.mlops.drift;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A uniform random sample of at most {@code capacity} values from a stream of unknown length, seeded
 * so the same stream gives the same sample. Li's Algorithm L: after the reservoir fills it draws a
 * random skip instead of a random number per value, so the cost per value is a counter decrement.
 */
final class Reservoir {
    private final double[] values;
    private final SplittableRandom random;
    private int size;
    private long seen;
    private long skip;
    private double w;

    Reservoir(int capacity, long seed) {
        this.values = new double[Math.max(capacity, 0)];
        this.random = new SplittableRandom(seed);
    }

    void add(double value) {
        seen++;
        if (size < values.length) {
            values[size++] = value;
            if (size == values.length) {
                w = Math.exp(Math.log(uniform()) / values.length);
                nextSkip();
            }
            return;
        }
        if (values.length == 0) {
            return;
        }
        if (skip > 0) {
            skip--;
            return;
        }
        values[index(values.length)] = value;
        w *= Math.exp(Math.log(uniform()) / values.length);
        nextSkip();
    }

    private void nextSkip() {
        // Math.log(1 - w) rather than log1p: log1p is not intrinsified and w ≥ 1/n is never small enough to need it
        skip = (long) Math.floor(Math.log(uniform()) / Math.log(1 - w));
    }

    /** A uniform index below {@code bound} by multiply-shift (bias below 2^-32 · bound, far under the sample's own noise). */
    private int index(int bound) {
        return (int) (((random.nextLong() >>> 32) * bound) >>> 32);
    }

    private double uniform() {
        double u;
        do {
            u = random.nextDouble();
        } while (u == 0);
        return u;
    }

    /**
     * Makes this a uniform sample of the union of both streams: how many values come from each side follows the
     * hypergeometric law of drawing without replacement from the union; each side's share is a random subset of
     * its reservoir (itself a uniform sample of its stream).
     */
    void merge(Reservoir other) {
        int capacity = values.length;
        long total = seen + other.seen;
        int take = (int) Math.min(capacity, total);
        long leftA = seen;
        long leftB = other.seen;
        int fromA = 0;
        for (int i = 0; i < take; i++) {
            if (random.nextDouble() * (leftA + leftB) < leftA) {
                fromA++;
                leftA--;
            } else {
                leftB--;
            }
        }
        int fromB = take - fromA;
        double[] a = subset(Arrays.copyOf(values, size), fromA);
        double[] b = subset(Arrays.copyOf(other.values, other.size), fromB);
        System.arraycopy(a, 0, values, 0, fromA);
        System.arraycopy(b, 0, values, fromA, fromB);
        size = take;
        seen = total;
        if (size == capacity && capacity > 0) {
            w = Math.exp(Math.log(uniform()) / capacity);
            nextSkip();
        }
    }

    /** A uniform random subset of {@code k} values (partial Fisher–Yates). */
    private double[] subset(double[] pool, int k) {
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(pool.length - i);
            double t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        return Arrays.copyOf(pool, k);
    }

    long seen() {
        return seen;
    }

    /** The sample, sorted ascending (a copy). */
    double[] sorted() {
        double[] copy = Arrays.copyOf(values, size);
        Arrays.sort(copy);
        return copy;
    }
}
