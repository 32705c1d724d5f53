package dev.mlops.evaluate;

import java.util.Arrays;

/**
 * The bootstrap statistic "metric(candidate) − metric(baseline)" on the same rows, in the
 * cheapest exact shape for each metric (see {@link BootstrapStatistic}).
 */
public final class PairedStatistics {
    /** Above this many (truth, candidate, baseline) cells the non-empty ones are found by sorting. */
    private static final int DENSE_OUTCOMES = 1 << 22;

    private PairedStatistics() {
    }

    /** Classification: {@code truth} holds class indexes. */
    public static BootstrapStatistic delta(Metric metric, int[] truth, ModelScores candidate, ModelScores baseline) {
        check(truth.length, candidate, baseline);
        int k = candidate.classes();
        switch (metric) {
            case ACCURACY:
                return accuracy(truth, candidate.predicted(), baseline.predicted());
            case PRECISION_MACRO:
            case RECALL_MACRO:
            case F1_MACRO:
                return confusion(metric, truth, candidate.predicted(), baseline.predicted(), k);
            case LOG_LOSS: {
                double[] c = ClassificationMetrics.logLossPerRow(truth, candidate.probabilities(), k);
                double[] b = ClassificationMetrics.logLossPerRow(truth, baseline.probabilities(), k);
                return meanDifference(c, b);
            }
            case ROC_AUC:
                return new AucDelta(truth, candidate, baseline);
            default:
                throw new IllegalArgumentException(metric.id() + " is not a classification metric");
        }
    }

    /** Regression: {@code truth} holds target values. */
    public static BootstrapStatistic delta(Metric metric, double[] truth, ModelScores candidate, ModelScores baseline) {
        check(truth.length, candidate, baseline);
        int n = truth.length;
        double[] c = candidate.values();
        double[] b = baseline.values();
        switch (metric) {
            case MAE: {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = Math.abs(truth[i] - c[i]) - Math.abs(truth[i] - b[i]);
                }
                return BootstrapStatistic.rowSums(new double[][] {d}, s -> s[1] / s[0]);
            }
            case RMSE: {
                double[] ec = new double[n];
                double[] eb = new double[n];
                for (int i = 0; i < n; i++) {
                    ec[i] = (truth[i] - c[i]) * (truth[i] - c[i]);
                    eb[i] = (truth[i] - b[i]) * (truth[i] - b[i]);
                }
                return BootstrapStatistic.rowSums(new double[][] {ec, eb}, s -> Math.sqrt(s[1] / s[0]) - Math.sqrt(s[2] / s[0]));
            }
            case R2: {
                double mean = 0;
                for (double y : truth) {
                    mean += y;
                }
                mean /= n;
                // centring first keeps Σw·y² − (Σw·y)²/Σw free of cancellation
                double[] yc = new double[n];
                double[] yc2 = new double[n];
                double[] ec = new double[n];
                double[] eb = new double[n];
                for (int i = 0; i < n; i++) {
                    yc[i] = truth[i] - mean;
                    yc2[i] = yc[i] * yc[i];
                    ec[i] = (truth[i] - c[i]) * (truth[i] - c[i]);
                    eb[i] = (truth[i] - b[i]) * (truth[i] - b[i]);
                }
                return BootstrapStatistic.rowSums(new double[][] {yc, yc2, ec, eb}, s -> {
                    if (s[0] < 2) {
                        return Double.NaN;
                    }
                    double total = Math.max(0, s[2] - s[1] * s[1] / s[0]);
                    return RegressionMetrics.r2(s[3], total) - RegressionMetrics.r2(s[4], total);
                });
            }
            default:
                throw new IllegalArgumentException(metric.id() + " is not a regression metric");
        }
    }

    /** Σw·(a − b) / Σw: the paired difference of two per-row means. */
    public static BootstrapStatistic meanDifference(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("array lengths differ: " + a.length + " vs " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return BootstrapStatistic.rowSums(new double[][] {d}, s -> s[1] / s[0]);
    }

    /** Four outcomes: (candidate correct, baseline correct); accuracy delta = (n10 − n01) / n. */
    static BootstrapStatistic accuracy(int[] truth, int[] candidate, int[] baseline) {
        long[] counts = new long[4];
        for (int i = 0; i < truth.length; i++) {
            int cell = (candidate[i] == truth[i] ? 2 : 0) + (baseline[i] == truth[i] ? 1 : 0);
            counts[cell]++;
        }
        return BootstrapStatistic.counts(counts, w -> {
            double total = w[0] + w[1] + w[2] + w[3];
            return total == 0 ? Double.NaN : (w[2] - w[1]) / total;
        });
    }

    /** Outcomes are the non-empty cells of (truth, candidate prediction, baseline prediction). */
    static BootstrapStatistic confusion(Metric metric, int[] truth, int[] candidate, int[] baseline, int k) {
        long kk = (long) k * k;
        long[] codes;
        long[] counts;
        if (kk * k <= DENSE_OUTCOMES) {
            long[] dense = new long[(int) (kk * k)];
            for (int i = 0; i < truth.length; i++) {
                dense[(int) (truth[i] * kk + candidate[i] * (long) k + baseline[i])]++;
            }
            int nonEmpty = 0;
            for (long c : dense) {
                nonEmpty += c > 0 ? 1 : 0;
            }
            codes = new long[nonEmpty];
            counts = new long[nonEmpty];
            for (int code = 0, j = 0; code < dense.length; code++) {
                if (dense[code] > 0) {
                    codes[j] = code;
                    counts[j++] = dense[code];
                }
            }
        } else {
            long[] all = new long[truth.length];
            for (int i = 0; i < truth.length; i++) {
                all[i] = truth[i] * kk + candidate[i] * (long) k + baseline[i];
            }
            Arrays.sort(all);
            long[] c = new long[all.length];
            long[] n = new long[all.length];
            int m = 0;
            for (int i = 0; i < all.length; i++) {
                if (m > 0 && c[m - 1] == all[i]) {
                    n[m - 1]++;
                } else {
                    c[m] = all[i];
                    n[m++] = 1;
                }
            }
            codes = Arrays.copyOf(c, m);
            counts = Arrays.copyOf(n, m);
        }
        int[] t = new int[codes.length];
        int[] pc = new int[codes.length];
        int[] pb = new int[codes.length];
        for (int j = 0; j < codes.length; j++) {
            t[j] = (int) (codes[j] / kk);
            pc[j] = (int) (codes[j] / k % k);
            pb[j] = (int) (codes[j] % k);
        }
        return BootstrapStatistic.counts(counts, w -> {
            double[][] cmC = new double[k][k];
            double[][] cmB = new double[k][k];
            for (int j = 0; j < w.length; j++) {
                cmC[t[j]][pc[j]] += w[j];
                cmB[t[j]][pb[j]] += w[j];
            }
            return macro(metric, ClassificationMetrics.perClass(cmC)) - macro(metric, ClassificationMetrics.perClass(cmB));
        });
    }

    private static double macro(Metric metric, ClassificationMetrics.PerClass perClass) {
        switch (metric) {
            case PRECISION_MACRO:
                return perClass.macroPrecision();
            case RECALL_MACRO:
                return perClass.macroRecall();
            default:
                return perClass.macroF1();
        }
    }

    private static void check(int rows, ModelScores candidate, ModelScores baseline) {
        if (candidate.rows() != rows || baseline.rows() != rows) {
            throw new IllegalArgumentException("row counts differ: truth " + rows + ", candidate " + candidate.rows()
                    + ", baseline " + baseline.rows());
        }
        if (candidate.classes() != baseline.classes()) {
            throw new IllegalArgumentException("class counts differ: " + candidate.classes() + " vs " + baseline.classes());
        }
    }

    /**
     * ROC AUC delta (binary, or one-vs-rest macro). Once: each model's scores per curve are
     * sorted (counting sort on dense ranks) and the sorted rows flagged "positive" and "last of
     * its tie group". Per resample, one pass per model and curve accumulates weighted positives
     * and negatives per tie group and the exact doubled Mann–Whitney count.
     *
     * <p>The weights are iid, so they are drawn directly in the candidate's (first curve's) sorted
     * order: that pass reads them sequentially and every other pass gathers them through a
     * precomputed position map. Cost per resample: O(n) weight draws plus O(n) per model and curve
     * (curves = 1 for binary, k for multiclass), all but one pass with a random gather from an
     * n-byte array.
     */
    static final class AucDelta implements BootstrapStatistic.Weighted {
        private final int rows;
        private final SortedCurve[] candidate;
        private final SortedCurve[] baseline;
        private final int[] canonicalPosition;

        AucDelta(int[] truth, ModelScores candidateScores, ModelScores baselineScores) {
            int k = candidateScores.classes();
            int[] positives = k == 2 ? new int[] {1} : java.util.stream.IntStream.range(0, k).toArray();
            rows = truth.length;
            candidate = new SortedCurve[positives.length];
            baseline = new SortedCurve[positives.length];
            int[] position = null;
            for (int j = 0; j < positives.length; j++) {
                int[][] c = SortedCurve.sort(truth, positives[j], ClassificationMetrics.column(candidateScores.probabilities(), k, positives[j]));
                if (j == 0) {
                    position = new int[rows];
                    for (int p = 0; p < rows; p++) {
                        position[c[0][p]] = p;
                    }
                }
                candidate[j] = SortedCurve.of(c, j == 0 ? null : position);
                int[][] b = SortedCurve.sort(truth, positives[j], ClassificationMetrics.column(baselineScores.probabilities(), k, positives[j]));
                baseline[j] = SortedCurve.of(b, position);
            }
            canonicalPosition = position;
        }

        @Override
        public long rows() {
            return rows;
        }

        /** The statistic with row i weighted {@code rowWeights[i]} (row order, for tests). */
        double valueForRowWeights(byte[] rowWeights) {
            byte[] canonical = new byte[rows];
            for (int row = 0; row < rows; row++) {
                canonical[canonicalPosition[row]] = rowWeights[row];
            }
            return evaluator().value(canonical);
        }

        /** {@inheritDoc} Here weight {@code p} belongs to the row at position p of the candidate's first sorted curve. */
        @Override
        public Evaluator evaluator() {
            return weights -> {
                double sumC = 0;
                double sumB = 0;
                for (int j = 0; j < candidate.length; j++) {
                    sumC += candidate[j].auc(weights);
                    sumB += baseline[j].auc(weights);
                }
                return (sumC - sumB) / candidate.length;
            };
        }

        @Override
        public String method() {
            return "poisson bootstrap, Poisson(1) weight per row, sorted-pass AUC";
        }
    }

    /**
     * One model's scores for one curve in ascending order: per sorted position, where its row's
     * weight lives ({@code gather}, or null when the weights are already in this order) and the
     * flags "positive" (bit 0) and "last of its tie group" (bit 1).
     */
    static final class SortedCurve {
        private final int[] gather;
        private final byte[] flags;

        private SortedCurve(int[] gather, byte[] flags) {
            this.gather = gather;
            this.flags = flags;
        }

        /** {order, flags-as-int} of the rows sorted by score. */
        static int[][] sort(int[] truth, int positive, double[] scores) {
            ClassificationMetrics.Ranking ranking = ClassificationMetrics.Ranking.of(scores);
            int[] group = ranking.groupsByRow();
            int[] start = new int[ranking.groups() + 1];
            for (int g : group) {
                start[g + 1]++;
            }
            for (int g = 0; g < ranking.groups(); g++) {
                start[g + 1] += start[g];
            }
            int[] order = new int[group.length];
            for (int i = 0; i < group.length; i++) {
                order[start[group[i]]++] = i;
            }
            int[] flags = new int[group.length];
            for (int j = 0; j < order.length; j++) {
                int row = order[j];
                boolean last = j == order.length - 1 || group[order[j + 1]] != group[row];
                flags[j] = (truth[row] == positive ? 1 : 0) | (last ? 2 : 0);
            }
            return new int[][] {order, flags};
        }

        /** @param position where each row's weight lives, or null when the weights are in this curve's order */
        static SortedCurve of(int[][] sorted, int[] position) {
            int[] order = sorted[0];
            byte[] flags = new byte[order.length];
            for (int j = 0; j < order.length; j++) {
                flags[j] = (byte) sorted[1][j];
            }
            int[] gather = null;
            if (position != null) {
                gather = new int[order.length];
                for (int j = 0; j < order.length; j++) {
                    gather[j] = position[order[j]];
                }
            }
            return new SortedCurve(gather, flags);
        }

        /** Weighted AUC: (2·#correctly ranked pairs + #tied pairs) / (2·P·N), exact in longs. */
        double auc(byte[] weights) {
            long negBelow = 0;
            long positives = 0;
            long twiceCorrect = 0;
            long groupPos = 0;
            long groupNeg = 0;
            int n = flags.length;
            for (int j = 0; j < n; j++) {
                int w = gather == null ? weights[j] : weights[gather[j]];
                int f = flags[j];
                int isPositive = f & 1;
                groupPos += w * isPositive;
                groupNeg += w * (1 - isPositive);
                if ((f & 2) != 0) {
                    twiceCorrect += groupPos * (2 * negBelow + groupNeg);
                    negBelow += groupNeg;
                    positives += groupPos;
                    groupPos = 0;
                    groupNeg = 0;
                }
            }
            if (positives == 0 || negBelow == 0) {
                return Double.NaN;
            }
            return twiceCorrect / (2.0 * positives * negBelow);
        }
    }
}
