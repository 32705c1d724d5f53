package dev.mlops.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * One ROC curve: false and true positive rates at every distinct threshold from the highest
 * score down (as {@code sklearn.metrics.roc_curve(drop_intermediate=False)} with a leading
 * (0, 0)), downsampled to at most {@link #MAX_POINTS} points that keep both ends.
 *
 * @param positiveClass the class scored as positive (one-vs-rest for multiclass)
 * @param auc           the area, null when undefined (one class only)
 */
public record RocCurve(String positiveClass, Double auc, List<Point> points) {
    public static final int MAX_POINTS = 200;

    public RocCurve {
        points = List.copyOf(points);
    }

    public record Point(double fpr, double tpr) {
    }

    /** The curve of column {@code positive} of the probabilities; empty when a class is absent. */
    static RocCurve of(int[] truth, double[] probabilities, int classes, int positive, String positiveName) {
        ClassificationMetrics.Ranking ranking =
                ClassificationMetrics.Ranking.of(ClassificationMetrics.column(probabilities, classes, positive));
        int groups = ranking.groups();
        long[] pos = new long[groups];
        long[] neg = new long[groups];
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] == positive) {
                pos[ranking.group(i)]++;
            } else {
                neg[ranking.group(i)]++;
            }
        }
        double auc = ClassificationMetrics.Ranking.auc(pos, neg);
        long p = 0;
        long n = 0;
        for (int g = 0; g < groups; g++) {
            p += pos[g];
            n += neg[g];
        }
        if (p == 0 || n == 0) {
            return new RocCurve(positiveName, null, List.of());
        }
        double[] fpr = new double[groups + 1];
        double[] tpr = new double[groups + 1];
        long tp = 0;
        long fp = 0;
        for (int g = groups - 1, j = 1; g >= 0; g--, j++) {
            tp += pos[g];
            fp += neg[g];
            fpr[j] = (double) fp / n;
            tpr[j] = (double) tp / p;
        }
        return new RocCurve(positiveName, auc, downsample(fpr, tpr, MAX_POINTS));
    }

    static List<Point> downsample(double[] fpr, double[] tpr, int maxPoints) {
        int m = fpr.length;
        List<Point> out = new ArrayList<>(Math.min(m, maxPoints));
        if (m <= maxPoints) {
            for (int i = 0; i < m; i++) {
                out.add(new Point(fpr[i], tpr[i]));
            }
            return out;
        }
        for (int i = 0; i < maxPoints; i++) {
            int idx = (int) Math.round((double) i * (m - 1) / (maxPoints - 1));
            out.add(new Point(fpr[idx], tpr[idx]));
        }
        return out;
    }
}
