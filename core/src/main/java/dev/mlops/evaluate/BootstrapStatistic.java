package dev.mlops.evaluate;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * A statistic that {@link PairedBootstrap} can resample under the Poisson bootstrap, where each
 * row gets an independent weight w ~ Poisson(1) per resample. Three shapes, cheapest first:
 * <ul>
 *   <li>{@link #counts}: the statistic depends only on how many rows fall in each of a few
 *       outcomes (accuracy: the 2×2 correct/incorrect table of the two models; macro
 *       precision/recall/F1: the k³ cells of (truth, candidate prediction, baseline prediction)).
 *       The weighted count of an outcome with c rows is a sum of c independent Poisson(1)
 *       weights, which is exactly Poisson(c) and independent across outcomes, so a resample
 *       draws one Poisson(c) per non-empty outcome: O(#outcomes) per resample instead of O(n),
 *       and the same distribution as drawing every row's weight.</li>
 *   <li>{@link #rowSums}: the statistic is a function of weighted column sums (mean log loss,
 *       MAE, RMSE, R²): O(n · columns) per resample, four resamples per pass over the data.</li>
 *   <li>{@link Weighted}: anything else, given all the weights of a resample at once (ROC AUC:
 *       O(n · curves) per resample).</li>
 * </ul>
 */
public sealed interface BootstrapStatistic permits BootstrapStatistic.Counts, BootstrapStatistic.RowSums,
        BootstrapStatistic.Weighted {

    /** The statistic on the data as observed (every weight 1). */
    double observed();

    /** How the resampler evaluates this statistic, for reports. */
    String method();

    /** The number of paired rows the statistic is computed on. */
    long rows();

    /**
     * @param counts rows per outcome (copied)
     * @param value  the statistic from (weighted) counts per outcome, same indexing
     */
    static BootstrapStatistic counts(long[] counts, ToDoubleFunction<double[]> value) {
        return new Counts(counts.clone(), value);
    }

    /**
     * @param columns per-row values, {@code columns[j][row]} (not copied; must not change)
     * @param value   the statistic from {@code sums}: {@code sums[0]} = Σ w, {@code sums[1 + j]} = Σ w · columns[j]
     */
    static BootstrapStatistic rowSums(double[][] columns, ToDoubleFunction<double[]> value) {
        return new RowSums(columns, value);
    }

    /** Outcome counts; resampled by one Poisson(count) per outcome. */
    final class Counts implements BootstrapStatistic {
        private final long[] counts;
        private final ToDoubleFunction<double[]> value;

        private Counts(long[] counts, ToDoubleFunction<double[]> value) {
            this.counts = counts;
            this.value = value;
        }

        @Override
        public double observed() {
            double[] c = new double[counts.length];
            for (int j = 0; j < c.length; j++) {
                c[j] = counts[j];
            }
            return value.applyAsDouble(c);
        }

        @Override
        public String method() {
            return "poisson bootstrap, exact sufficient statistics (Poisson(count) per outcome)";
        }

        double resample(SplittableRandom rng, double[] scratch) {
            for (int j = 0; j < counts.length; j++) {
                scratch[j] = PoissonSampler.poisson(counts[j], rng);
            }
            return value.applyAsDouble(scratch);
        }

        @Override
        public long rows() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }

        int outcomes() {
            return counts.length;
        }
    }

    /** Weighted column sums; resampled by one Poisson(1) weight per row. */
    final class RowSums implements BootstrapStatistic {
        private final double[][] columns;
        private final ToDoubleFunction<double[]> value;
        private final int rows;

        private RowSums(double[][] columns, ToDoubleFunction<double[]> value) {
            if (columns.length == 0) {
                throw new IllegalArgumentException("at least one column");
            }
            this.rows = columns[0].length;
            for (double[] c : columns) {
                if (c.length != rows) {
                    throw new IllegalArgumentException("columns differ in length");
                }
            }
            this.columns = columns;
            this.value = value;
        }

        @Override
        public double observed() {
            double[] sums = new double[columns.length + 1];
            sums[0] = rows;
            for (int j = 0; j < columns.length; j++) {
                double s = 0;
                for (double v : columns[j]) {
                    s += v;
                }
                sums[j + 1] = s;
            }
            return value.applyAsDouble(sums);
        }

        @Override
        public String method() {
            return "poisson bootstrap, Poisson(1) weight per row";
        }

        /** Resamples computed in one pass over the data. */
        static final int LANES = 4;

        /**
         * Up to {@link #LANES} resamples; resample r draws its weights from the SplitMix64 stream
         * seeded with {@code seeds[r]} (see {@link PoissonSampler#weights5}) and its statistic goes
         * to {@code out[outFrom + r]}. Four resamples share one pass over the data and never store
         * their weights; fewer go one at a time. Either way every lane consumes its stream and adds
         * its products in the same order, so a replicate does not depend on its lane.
         */
        void resample(long[] seeds, int count, double[] out, int outFrom) {
            if (count == LANES && columns.length == 1) {
                fused4OneColumn(seeds, out, outFrom);
                return;
            }
            if (count == LANES) {
                fused4(seeds, out, outFrom);
                return;
            }
            for (int r = 0; r < count; r++) {
                out[outFrom + r] = single(seeds[r]);
            }
        }

        private double single(long seed) {
            int m = columns.length;
            long s = seed;
            double[] acc = new double[m];
            long total = 0;
            int i = 0;
            for (; i + 5 <= rows; i += 5) {
                s += PoissonSampler.GOLDEN_GAMMA;
                long p = PoissonSampler.weights5(s, PoissonSampler.mix64(s));
                s += (p >>> 25) * PoissonSampler.GOLDEN_GAMMA;
                total += weightSum(p);
                for (int j = 0; j < m; j++) {
                    double[] c = columns[j];
                    acc[j] += dot5(p, c[i], c[i + 1], c[i + 2], c[i + 3], c[i + 4]);
                }
            }
            int tail = rows - i;
            if (tail > 0) {
                s += PoissonSampler.GOLDEN_GAMMA;
                long p = PoissonSampler.weightsPartial(s, PoissonSampler.mix64(s), tail);
                for (int t = 0; t < tail; t++) {
                    int w = (int) (p >>> (5 * t)) & 31;
                    total += w;
                    for (int j = 0; j < m; j++) {
                        acc[j] += w * columns[j][i + t];
                    }
                }
            }
            double[] sums = new double[m + 1];
            sums[0] = total;
            System.arraycopy(acc, 0, sums, 1, m);
            return value.applyAsDouble(sums);
        }

        /** {@link #single} for four seeds at once, sharing each loaded value across the lanes. */
        private void fused4(long[] seeds, double[] out, int outFrom) {
            final long gamma = PoissonSampler.GOLDEN_GAMMA;
            int m = columns.length;
            long s0 = seeds[0];
            long s1 = seeds[1];
            long s2 = seeds[2];
            long s3 = seeds[3];
            double[] a0 = new double[m];
            double[] a1 = new double[m];
            double[] a2 = new double[m];
            double[] a3 = new double[m];
            long t0 = 0;
            long t1 = 0;
            long t2 = 0;
            long t3 = 0;
            int i = 0;
            for (; i + 5 <= rows; i += 5) {
                s0 += gamma;
                long p0 = PoissonSampler.weights5(s0, PoissonSampler.mix64(s0));
                s0 += (p0 >>> 25) * gamma;
                s1 += gamma;
                long p1 = PoissonSampler.weights5(s1, PoissonSampler.mix64(s1));
                s1 += (p1 >>> 25) * gamma;
                s2 += gamma;
                long p2 = PoissonSampler.weights5(s2, PoissonSampler.mix64(s2));
                s2 += (p2 >>> 25) * gamma;
                s3 += gamma;
                long p3 = PoissonSampler.weights5(s3, PoissonSampler.mix64(s3));
                s3 += (p3 >>> 25) * gamma;
                t0 += weightSum(p0);
                t1 += weightSum(p1);
                t2 += weightSum(p2);
                t3 += weightSum(p3);
                for (int j = 0; j < m; j++) {
                    double[] c = columns[j];
                    double v0 = c[i];
                    double v1 = c[i + 1];
                    double v2 = c[i + 2];
                    double v3 = c[i + 3];
                    double v4 = c[i + 4];
                    a0[j] += dot5(p0, v0, v1, v2, v3, v4);
                    a1[j] += dot5(p1, v0, v1, v2, v3, v4);
                    a2[j] += dot5(p2, v0, v1, v2, v3, v4);
                    a3[j] += dot5(p3, v0, v1, v2, v3, v4);
                }
            }
            long[] states = {s0, s1, s2, s3};
            double[][] acc = {a0, a1, a2, a3};
            long[] totals = {t0, t1, t2, t3};
            int tail = rows - i;
            double[] sums = new double[m + 1];
            for (int r = 0; r < LANES; r++) {
                if (tail > 0) {
                    long s = states[r] + gamma;
                    long p = PoissonSampler.weightsPartial(s, PoissonSampler.mix64(s), tail);
                    for (int t = 0; t < tail; t++) {
                        int w = (int) (p >>> (5 * t)) & 31;
                        totals[r] += w;
                        for (int j = 0; j < m; j++) {
                            acc[r][j] += w * columns[j][i + t];
                        }
                    }
                }
                sums[0] = totals[r];
                System.arraycopy(acc[r], 0, sums, 1, m);
                out[outFrom + r] = value.applyAsDouble(sums);
            }
        }

        /** {@link #fused4} for one column, with every accumulator in a register (the common case: mean loss). */
        private void fused4OneColumn(long[] seeds, double[] out, int outFrom) {
            final long gamma = PoissonSampler.GOLDEN_GAMMA;
            double[] c = columns[0];
            long s0 = seeds[0];
            long s1 = seeds[1];
            long s2 = seeds[2];
            long s3 = seeds[3];
            double a0 = 0;
            double a1 = 0;
            double a2 = 0;
            double a3 = 0;
            long t0 = 0;
            long t1 = 0;
            long t2 = 0;
            long t3 = 0;
            int i = 0;
            // the table lookups of PoissonSampler.weights5, inlined; same stream use and sum order
            final byte[] table = PoissonSampler.cellWeights();
            final int mask = PoissonSampler.CELL_MASK;
            long z;
            int w0;
            int w1;
            int w2;
            int w3;
            int w4;
            for (; i + 5 <= rows; i += 5) {
                double v0 = c[i];
                double v1 = c[i + 1];
                double v2 = c[i + 2];
                double v3 = c[i + 3];
                double v4 = c[i + 4];
                s0 += gamma;
                z = PoissonSampler.mix64(s0);
                w0 = table[(int) (z >>> 52) & mask];
                w1 = table[(int) (z >>> 40) & mask];
                w2 = table[(int) (z >>> 28) & mask];
                w3 = table[(int) (z >>> 16) & mask];
                w4 = table[(int) (z >>> 4) & mask];
                if ((w0 | w1 | w2 | w3 | w4) < 0) {
                    long p = PoissonSampler.weights5(s0, z);
                    s0 += (p >>> 25) * gamma;
                    w0 = (int) p & 31;
                    w1 = (int) (p >>> 5) & 31;
                    w2 = (int) (p >>> 10) & 31;
                    w3 = (int) (p >>> 15) & 31;
                    w4 = (int) (p >>> 20) & 31;
                }
                t0 += w0 + w1 + w2 + w3 + w4;
                a0 += w0 * v0 + w1 * v1 + w2 * v2 + w3 * v3 + w4 * v4;
                s1 += gamma;
                z = PoissonSampler.mix64(s1);
                w0 = table[(int) (z >>> 52) & mask];
                w1 = table[(int) (z >>> 40) & mask];
                w2 = table[(int) (z >>> 28) & mask];
                w3 = table[(int) (z >>> 16) & mask];
                w4 = table[(int) (z >>> 4) & mask];
                if ((w0 | w1 | w2 | w3 | w4) < 0) {
                    long p = PoissonSampler.weights5(s1, z);
                    s1 += (p >>> 25) * gamma;
                    w0 = (int) p & 31;
                    w1 = (int) (p >>> 5) & 31;
                    w2 = (int) (p >>> 10) & 31;
                    w3 = (int) (p >>> 15) & 31;
                    w4 = (int) (p >>> 20) & 31;
                }
                t1 += w0 + w1 + w2 + w3 + w4;
                a1 += w0 * v0 + w1 * v1 + w2 * v2 + w3 * v3 + w4 * v4;
                s2 += gamma;
                z = PoissonSampler.mix64(s2);
                w0 = table[(int) (z >>> 52) & mask];
                w1 = table[(int) (z >>> 40) & mask];
                w2 = table[(int) (z >>> 28) & mask];
                w3 = table[(int) (z >>> 16) & mask];
                w4 = table[(int) (z >>> 4) & mask];
                if ((w0 | w1 | w2 | w3 | w4) < 0) {
                    long p = PoissonSampler.weights5(s2, z);
                    s2 += (p >>> 25) * gamma;
                    w0 = (int) p & 31;
                    w1 = (int) (p >>> 5) & 31;
                    w2 = (int) (p >>> 10) & 31;
                    w3 = (int) (p >>> 15) & 31;
                    w4 = (int) (p >>> 20) & 31;
                }
                t2 += w0 + w1 + w2 + w3 + w4;
                a2 += w0 * v0 + w1 * v1 + w2 * v2 + w3 * v3 + w4 * v4;
                s3 += gamma;
                z = PoissonSampler.mix64(s3);
                w0 = table[(int) (z >>> 52) & mask];
                w1 = table[(int) (z >>> 40) & mask];
                w2 = table[(int) (z >>> 28) & mask];
                w3 = table[(int) (z >>> 16) & mask];
                w4 = table[(int) (z >>> 4) & mask];
                if ((w0 | w1 | w2 | w3 | w4) < 0) {
                    long p = PoissonSampler.weights5(s3, z);
                    s3 += (p >>> 25) * gamma;
                    w0 = (int) p & 31;
                    w1 = (int) (p >>> 5) & 31;
                    w2 = (int) (p >>> 10) & 31;
                    w3 = (int) (p >>> 15) & 31;
                    w4 = (int) (p >>> 20) & 31;
                }
                t3 += w0 + w1 + w2 + w3 + w4;
                a3 += w0 * v0 + w1 * v1 + w2 * v2 + w3 * v3 + w4 * v4;
            }
            long[] states = {s0, s1, s2, s3};
            double[] acc = {a0, a1, a2, a3};
            long[] totals = {t0, t1, t2, t3};
            int tail = rows - i;
            double[] sums = new double[2];
            for (int r = 0; r < LANES; r++) {
                if (tail > 0) {
                    long s = states[r] + gamma;
                    long p = PoissonSampler.weightsPartial(s, PoissonSampler.mix64(s), tail);
                    for (int t = 0; t < tail; t++) {
                        int w = (int) (p >>> (5 * t)) & 31;
                        totals[r] += w;
                        acc[r] += w * c[i + t];
                    }
                }
                sums[0] = totals[r];
                sums[1] = acc[r];
                out[outFrom + r] = value.applyAsDouble(sums);
            }
        }

        /** Σ w_t · v_t over five packed weights, added left to right (the order {@link #single} uses). */
        private static double dot5(long p, double v0, double v1, double v2, double v3, double v4) {
            return ((int) p & 31) * v0 + ((int) (p >>> 5) & 31) * v1 + ((int) (p >>> 10) & 31) * v2
                    + ((int) (p >>> 15) & 31) * v3 + ((int) (p >>> 20) & 31) * v4;
        }

        private static int weightSum(long packed) {
            return ((int) packed & 31) + ((int) (packed >>> 5) & 31) + ((int) (packed >>> 10) & 31)
                    + ((int) (packed >>> 15) & 31) + ((int) (packed >>> 20) & 31);
        }

        @Override
        public long rows() {
            return rows;
        }

        int columns() {
            return columns.length;
        }
    }

    /** A statistic of per-row integer weights, given all at once for a resample. */
    non-sealed interface Weighted extends BootstrapStatistic {
        /** Rows, i.e. the length of the weight arrays passed to evaluators. */
        @Override
        long rows();

        /** A new evaluator with its own scratch space; one thread uses it at a time. */
        Evaluator evaluator();

        @Override
        default double observed() {
            byte[] ones = new byte[Math.toIntExact(rows())];
            java.util.Arrays.fill(ones, (byte) 1);
            return evaluator().value(ones);
        }

        @Override
        default String method() {
            return "poisson bootstrap, Poisson(1) weight per row";
        }

        interface Evaluator {
            /**
             * The statistic under the given weights (small, non-negative). Weight {@code i} belongs
             * to the i-th row in an order the statistic fixes once (row order unless documented
             * otherwise): the weights are iid, so any fixed order gives the same distribution.
             */
            double value(byte[] weights);
        }
    }
}
