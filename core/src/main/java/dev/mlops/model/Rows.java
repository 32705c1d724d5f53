package dev.mlops.model;

import dev.mlops.error.InvalidInputException;

/** Shared input checks and output post-processing of the predictors. */
final class Rows {
    private Rows() {
    }

    static void check(float[][] rows, ModelSchema schema) {
        if (rows == null) {
            throw new InvalidInputException("rows: null; pass one float[] per row with the features " + schema.features());
        }
        int features = schema.features().size();
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == null || rows[r].length != features) {
                throw new InvalidInputException("rows[" + r + "]: " + (rows[r] == null ? "null" : rows[r].length + " values")
                        + " but the model takes " + features + " features " + schema.features() + "; pass them in schema order");
            }
        }
    }

    /** Softmax (in double) of {@code k} logits starting at {@code offset}. */
    static double[] softmax(float[] logits, int offset, int k) {
        if (k == 2) {
            double p1 = 1.0 / (1.0 + Math.exp((double) logits[offset] - logits[offset + 1])); // one exp for two classes
            return new double[] {1.0 - p1, p1};
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, logits[offset + j]);
        }
        double[] p = new double[k];
        double sum = 0;
        for (int j = 0; j < k; j++) {
            p[j] = Math.exp(logits[offset + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < k; j++) {
            p[j] /= sum;
        }
        return p;
    }

    /** One output row of a djl-mlp model from its raw outputs: probabilities, or the de-standardised value. */
    static double[] finish(float[] raw, int offset, MlpDescriptor mlp) {
        if (mlp.isClassification()) {
            return softmax(raw, offset, mlp.outputs());
        }
        return new double[] {raw[offset] * mlp.labelStd() + mlp.labelMean()};
    }
}
