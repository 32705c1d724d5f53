package dev.mlops.evaluate;

import java.util.Arrays;

/**
 * Classification metrics over class-index arrays, matching scikit-learn 1.2:
 * <ul>
 *   <li>precision, recall and F1 are per class over all schema classes, 0 where undefined
 *       ({@code zero_division=0}); the macro value is their unweighted mean
 *       ({@code average="macro", labels=range(k)});</li>
 *   <li>ROC AUC is the Mann–Whitney statistic with ties counted one half, which equals the
 *       trapezoidal area under {@code roc_curve}; multiclass is one-vs-rest macro
 *       ({@code multi_class="ovr"}); NaN when the holdout has only one class;</li>
 *   <li>log loss clips probabilities to [1e-15, 1 − 1e-15], renormalises each row and averages
 *       −log p(true class) ({@code log_loss(eps=1e-15)}).</li>
 * </ul>
 * Probabilities are row-major {@code double[rows * k]}.
 */
public final class ClassificationMetrics {
    /** The clipping used by {@code sklearn.metrics.log_loss(eps=1e-15)}. */
    public static final double LOG_LOSS_EPS = 1e-15;

    private ClassificationMetrics() {
    }

    public static double accuracy(int[] truth, int[] predicted) {
        checkSameLength(truth.length, predicted.length);
        if (truth.length == 0) {
            return Double.NaN;
        }
        long correct = 0;
        for (int i = 0; i < truth.length; i++) {
            correct += truth[i] == predicted[i] ? 1 : 0;
        }
        return (double) correct / truth.length;
    }

    /** Rows are true classes, columns predicted classes (as {@code sklearn.metrics.confusion_matrix}). */
    public static long[][] confusionMatrix(int[] truth, int[] predicted, int classes) {
        checkSameLength(truth.length, predicted.length);
        long[][] cm = new long[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            cm[truth[i]][predicted[i]]++;
        }
        return cm;
    }

    /** Per-class precision, recall, F1 and support from a (possibly weighted) confusion matrix. */
    public static PerClass perClass(double[][] cm) {
        int k = cm.length;
        double[] precision = new double[k];
        double[] recall = new double[k];
        double[] f1 = new double[k];
        double[] support = new double[k];
        double[] predictedTotals = new double[k];
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                support[t] += cm[t][p];
                predictedTotals[p] += cm[t][p];
            }
        }
        for (int c = 0; c < k; c++) {
            double tp = cm[c][c];
            precision[c] = predictedTotals[c] == 0 ? 0 : tp / predictedTotals[c];
            recall[c] = support[c] == 0 ? 0 : tp / support[c];
            double denominator = precision[c] + recall[c];
            f1[c] = denominator == 0 ? 0 : 2 * precision[c] * recall[c] / denominator;
        }
        return new PerClass(precision, recall, f1, support);
    }

    public static PerClass perClass(long[][] cm) {
        return perClass(toDouble(cm));
    }

    /** Per-class precision, recall, F1 and support (support as weighted counts). */
    public record PerClass(double[] precision, double[] recall, double[] f1, double[] support) {
        public double macroPrecision() {
            return mean(precision);
        }

        public double macroRecall() {
            return mean(recall);
        }

        public double macroF1() {
            return mean(f1);
        }
    }

    public static double logLoss(int[] truth, double[] probabilities, int classes) {
        double[] perRow = logLossPerRow(truth, probabilities, classes);
        if (perRow.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double v : perRow) {
            sum += v;
        }
        return sum / perRow.length;
    }

    /** −log p(true class) per row, after sklearn's clip-and-renormalise. */
    public static double[] logLossPerRow(int[] truth, double[] probabilities, int classes) {
        checkSameLength(truth.length * classes, probabilities.length);
        double[] out = new double[truth.length];
        for (int i = 0; i < truth.length; i++) {
            int base = i * classes;
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += clip(probabilities[base + c]);
            }
            out[i] = -Math.log(clip(probabilities[base + truth[i]]) / sum);
        }
        return out;
    }

    private static double clip(double p) {
        return p < LOG_LOSS_EPS ? LOG_LOSS_EPS : p > 1 - LOG_LOSS_EPS ? 1 - LOG_LOSS_EPS : p;
    }

    /** Binary ROC AUC of column {@code positive} of the probabilities against {@code truth == positive}. */
    public static double rocAuc(int[] truth, double[] probabilities, int classes, int positive) {
        Ranking ranking = Ranking.of(column(probabilities, classes, positive));
        return ranking.auc(truth, positive);
    }

    /** Binary ROC AUC (positive class 1) when {@code classes == 2}, else one-vs-rest macro average. */
    public static double rocAuc(int[] truth, double[] probabilities, int classes) {
        if (classes == 2) {
            return rocAuc(truth, probabilities, classes, 1);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += rocAuc(truth, probabilities, classes, c);
        }
        return sum / classes;
    }

    static double[] column(double[] probabilities, int classes, int column) {
        int rows = probabilities.length / classes;
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = probabilities[i * classes + column];
        }
        return out;
    }

    static double[][] toDouble(long[][] cm) {
        double[][] out = new double[cm.length][];
        for (int i = 0; i < cm.length; i++) {
            out[i] = new double[cm[i].length];
            for (int j = 0; j < cm[i].length; j++) {
                out[i][j] = cm[i][j];
            }
        }
        return out;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    private static void checkSameLength(int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException("array lengths differ: " + a + " vs " + b);
        }
    }

    /**
     * Scores replaced by their dense rank (0 = lowest distinct score), so AUCs and ROC curves,
     * weighted or not, are one counting pass. -0.0 and 0.0 are the same score.
     */
    static final class Ranking {
        private final int[] group;
        private final int groups;

        private Ranking(int[] group, int groups) {
            this.group = group;
            this.groups = groups;
        }

        static Ranking of(double[] scores) {
            double[] sorted = new double[scores.length];
            for (int i = 0; i < scores.length; i++) {
                sorted[i] = scores[i] + 0.0;
            }
            Arrays.sort(sorted);
            int distinct = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (distinct == 0 || sorted[i] != sorted[distinct - 1]) {
                    sorted[distinct++] = sorted[i];
                }
            }
            int[] group = new int[scores.length];
            for (int i = 0; i < scores.length; i++) {
                group[i] = Arrays.binarySearch(sorted, 0, distinct, scores[i] + 0.0);
            }
            return new Ranking(group, distinct);
        }

        int rows() {
            return group.length;
        }

        int groups() {
            return groups;
        }

        int group(int row) {
            return group[row];
        }

        /** The rank group of every row (shared, not copied). */
        int[] groupsByRow() {
            return group;
        }

        double auc(int[] truth, int positive) {
            long[] pos = new long[groups];
            long[] neg = new long[groups];
            for (int i = 0; i < group.length; i++) {
                if (truth[i] == positive) {
                    pos[group[i]]++;
                } else {
                    neg[group[i]]++;
                }
            }
            return auc(pos, neg);
        }

        /**
         * AUC from per-group positive and negative (weighted) counts: pairs ranked correctly plus
         * half the ties, over all pairs. The doubled numerator is an exact long: it is at most
         * 2·P·N ≤ rows²/2, which fits for any int row count.
         */
        static double auc(long[] pos, long[] neg) {
            long negBelow = 0;
            long positives = 0;
            long twiceCorrect = 0;
            for (int g = 0; g < pos.length; g++) {
                long p = pos[g];
                if (p != 0) {
                    twiceCorrect += p * (2 * negBelow + neg[g]);
                    positives += p;
                }
                negBelow += neg[g];
            }
            if (positives == 0 || negBelow == 0) {
                return Double.NaN;
            }
            return twiceCorrect / (2.0 * positives * negBelow);
        }
    }
}
