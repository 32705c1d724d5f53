package dev.mlops.evaluate;

import dev.mlops.model.ModelSchema;

/**
 * What one model said about every holdout row: class probabilities (row-major, columns in the
 * holdout schema's class order) and the predicted class (first maximum, like numpy's argmax), or
 * the regression prediction. Arrays are owned by this object and never exposed for writing.
 */
public final class ModelScores {
    private final int rows;
    private final int classes;
    private final double[] probabilities;
    private final int[] predicted;
    private final double[] values;

    private ModelScores(int rows, int classes, double[] probabilities, int[] predicted, double[] values) {
        this.rows = rows;
        this.classes = classes;
        this.probabilities = probabilities;
        this.predicted = predicted;
        this.values = values;
    }

    /** Classification scores; {@code probabilities} is row-major, {@code classes} columns per row (copied). */
    public static ModelScores classification(double[] probabilities, int classes) {
        return ofClassification(probabilities.clone(), classes);
    }

    static ModelScores ofClassification(double[] probabilities, int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("classification needs at least 2 classes, got " + classes);
        }
        if (probabilities.length % classes != 0) {
            throw new IllegalArgumentException(probabilities.length + " probabilities are not a multiple of " + classes + " classes");
        }
        int rows = probabilities.length / classes;
        int[] predicted = new int[rows];
        for (int r = 0; r < rows; r++) {
            int base = r * classes;
            int best = 0;
            double max = probabilities[base];
            for (int c = 1; c < classes; c++) {
                if (probabilities[base + c] > max) {
                    max = probabilities[base + c];
                    best = c;
                }
            }
            predicted[r] = best;
        }
        return new ModelScores(rows, classes, probabilities, predicted, null);
    }

    /** Regression predictions (copied). */
    public static ModelScores regression(double[] values) {
        return ofRegression(values.clone());
    }

    static ModelScores ofRegression(double[] values) {
        return new ModelScores(values.length, 0, null, null, values);
    }

    public int rows() {
        return rows;
    }

    public boolean isClassification() {
        return probabilities != null;
    }

    public String task() {
        return isClassification() ? ModelSchema.CLASSIFICATION : ModelSchema.REGRESSION;
    }

    /** Number of classes (0 for regression). */
    public int classes() {
        return classes;
    }

    public double probability(int row, int cls) {
        return probabilities[row * classes + cls];
    }

    public int predictedClass(int row) {
        return predicted[row];
    }

    public double value(int row) {
        return values[row];
    }

    double[] probabilities() {
        return probabilities;
    }

    int[] predicted() {
        return predicted;
    }

    double[] values() {
        return values;
    }

    /** The scores of the given rows, in that order. */
    ModelScores subset(int[] rowIndexes) {
        if (isClassification()) {
            double[] p = new double[rowIndexes.length * classes];
            for (int i = 0; i < rowIndexes.length; i++) {
                System.arraycopy(probabilities, rowIndexes[i] * classes, p, i * classes, classes);
            }
            return ofClassification(p, classes);
        }
        double[] v = new double[rowIndexes.length];
        for (int i = 0; i < rowIndexes.length; i++) {
            v[i] = values[rowIndexes[i]];
        }
        return ofRegression(v);
    }
}
