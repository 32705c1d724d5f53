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
        values[random.nextInt(values.length)] = value;
        w *= Math.exp(Math.log(uniform()) / values.length);
        nextSkip();
    }

    private void nextSkip() {
        skip = (long) Math.floor(Math.log(uniform()) / Math.log1p(-w));
    }

    private double uniform() {
        double u;
        do {
            u = random.nextDouble();
        } while (u == 0);
        return u;
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
