package dev.mlops.serve;

import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fixed, seeded multilayer perceptron (ReLU hidden layers, softmax output) for benchmarks and
 * smoke tests of the server without a trained model: {@code mlops serve --synthetic} and
 * {@code bench/serve.sh} use 10 features, hidden layers 32 and 16, and 2 classes.
 */
public final class SyntheticMlp implements Predictor {
    private final ModelSchema schema;
    private final int[] widths;
    private final float[][] weights;
    private final float[][] biases;

    public SyntheticMlp(int features, int[] hidden, int classes, long seed) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < features; i++) {
            names.add("f" + i);
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            labels.add("c" + i);
        }
        this.schema = new ModelSchema(ModelSchema.CLASSIFICATION, names, "label", labels);
        this.widths = new int[hidden.length + 2];
        widths[0] = features;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = classes;
        SplittableRandom random = new SplittableRandom(seed);
        int layers = widths.length - 1;
        weights = new float[layers][];
        biases = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            double scale = Math.sqrt(2.0 / in);
            weights[l] = new float[in * out];
            for (int i = 0; i < weights[l].length; i++) {
                weights[l][i] = (float) (random.nextGaussian() * scale);
            }
            biases[l] = new float[out];
            for (int j = 0; j < out; j++) {
                biases[l][j] = (float) (random.nextGaussian() * 0.01);
            }
        }
    }

    /** The benchmark model: 10 features, hidden 32 and 16, 2 classes. */
    public static SyntheticMlp bench() {
        return new SyntheticMlp(10, new int[] {32, 16}, 2, 42L);
    }

    @Override
    public ModelSchema schema() {
        return schema;
    }

    @Override
    public double[][] predict(float[][] rows) {
        int maxWidth = 0;
        for (int w : widths) {
            maxWidth = Math.max(maxWidth, w);
        }
        float[] a = new float[maxWidth];
        float[] b = new float[maxWidth];
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            float[] row = rows[r];
            if (row.length != widths[0]) {
                throw new IllegalArgumentException("row " + r + " has " + row.length + " values; expected " + widths[0]);
            }
            System.arraycopy(row, 0, a, 0, row.length);
            for (int l = 0; l < weights.length; l++) {
                int in = widths[l];
                int outWidth = widths[l + 1];
                float[] w = weights[l];
                for (int j = 0; j < outWidth; j++) {
                    float sum = biases[l][j];
                    int base = j * in;
                    for (int i = 0; i < in; i++) {
                        sum += w[base + i] * a[i];
                    }
                    b[j] = l < weights.length - 1 ? Math.max(0f, sum) : sum;
                }
                float[] t = a;
                a = b;
                b = t;
            }
            out[r] = softmax(a, widths[widths.length - 1]);
        }
        return out;
    }

    static double[] softmax(float[] logits, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, logits[j]);
        }
        double[] p = new double[k];
        double sum = 0;
        for (int j = 0; j < k; j++) {
            p[j] = Math.exp(logits[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < k; j++) {
            p[j] /= sum;
        }
        return p;
    }
}
