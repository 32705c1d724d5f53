package dev.mlops.evaluate;

/**
 * Regression metrics matching scikit-learn 1.2: RMSE = sqrt(mean_squared_error), MAE =
 * mean_absolute_error, R² = r2_score with {@code force_finite=True} (1.0 when the target is
 * constant and predictions are perfect, 0.0 when constant and not perfect; NaN below 2 rows).
 */
public final class RegressionMetrics {
    private RegressionMetrics() {
    }

    public static double rmse(double[] truth, double[] predicted) {
        check(truth, predicted);
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            double e = truth[i] - predicted[i];
            sum += e * e;
        }
        return truth.length == 0 ? Double.NaN : Math.sqrt(sum / truth.length);
    }

    public static double mae(double[] truth, double[] predicted) {
        check(truth, predicted);
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            sum += Math.abs(truth[i] - predicted[i]);
        }
        return truth.length == 0 ? Double.NaN : sum / truth.length;
    }

    public static double r2(double[] truth, double[] predicted) {
        check(truth, predicted);
        int n = truth.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mean = 0;
        for (double y : truth) {
            mean += y;
        }
        mean /= n;
        double residual = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double e = truth[i] - predicted[i];
            residual += e * e;
            double d = truth[i] - mean;
            total += d * d;
        }
        return r2(residual, total);
    }

    /** sklearn's force_finite rule on the residual and total sums of squares. */
    static double r2(double residual, double total) {
        if (residual == 0) {
            return 1.0;
        }
        if (total == 0) {
            return 0.0;
        }
        return 1 - residual / total;
    }

    private static void check(double[] truth, double[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("array lengths differ: " + truth.length + " vs " + predicted.length);
        }
    }
}
