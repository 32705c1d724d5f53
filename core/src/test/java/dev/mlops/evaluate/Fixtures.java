package dev.mlops.evaluate;

import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/** Deterministic synthetic data and predictors for the evaluate tests. */
final class Fixtures {
    private Fixtures() {
    }

    record Binary(int[] truth, ModelScores candidate, ModelScores baseline) {
    }

    record Multi(int[] truth, ModelScores candidate, ModelScores baseline) {
    }

    /** Two binary models right with probability {@code pc} and {@code pb}, independently per row. */
    static Binary binary(int n, double pc, double pb, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] truth = new int[n];
        double[] c = new double[2 * n];
        double[] b = new double[2 * n];
        for (int i = 0; i < n; i++) {
            truth[i] = rng.nextDouble() < 0.4 ? 1 : 0;
            fillBinary(c, i, truth[i], rng.nextDouble() < pc, rng);
            fillBinary(b, i, truth[i], rng.nextDouble() < pb, rng);
        }
        return new Binary(truth, ModelScores.classification(c, 2), ModelScores.classification(b, 2));
    }

    private static void fillBinary(double[] p, int row, int truth, boolean correct, SplittableRandom rng) {
        double confidence = 0.5 + 1e-6 + (0.5 - 2e-6) * rng.nextDouble();
        int predicted = correct ? truth : 1 - truth;
        double p1 = predicted == 1 ? confidence : 1 - confidence;
        p[2 * row] = 1 - p1;
        p[2 * row + 1] = p1;
    }

    /** Two k-class models right with probability {@code pc} and {@code pb}, independently per row. */
    static Multi multiclass(int n, int k, double pc, double pb, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] truth = new int[n];
        double[] c = new double[k * n];
        double[] b = new double[k * n];
        for (int i = 0; i < n; i++) {
            truth[i] = rng.nextInt(k);
            fillMulti(c, i, k, truth[i], rng.nextDouble() < pc, rng);
            fillMulti(b, i, k, truth[i], rng.nextDouble() < pb, rng);
        }
        return new Multi(truth, ModelScores.classification(c, k), ModelScores.classification(b, k));
    }

    private static void fillMulti(double[] p, int row, int k, int truth, boolean correct, SplittableRandom rng) {
        double[] r = new double[k];
        double sum = 0;
        for (int j = 0; j < k; j++) {
            r[j] = rng.nextDouble();
        }
        int winner = correct ? truth : (truth + 1 + rng.nextInt(k - 1)) % k;
        r[winner] = 1.5;
        for (double v : r) {
            sum += v;
        }
        for (int j = 0; j < k; j++) {
            p[row * k + j] = r[j] / sum;
        }
    }

    static final ModelSchema BINARY_SCHEMA =
            new ModelSchema("classification", List.of("x0", "x1", "x2"), "label", List.of("neg", "pos"));

    /**
     * A binary holdout: y = 1 when x0 + 0.8·x1 + noise > 0; x2 is pure noise; slice column
     * "region" (north/south/east/west), "segment" (a/b) and "band" ("high" when x2 > 1.2, else
     * "normal", so a predictor can behave differently on one slice).
     */
    static Holdout binaryHoldout(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] x = new float[n][3];
        int[] y = new int[n];
        List<String> region = new ArrayList<>();
        List<String> segment = new ArrayList<>();
        List<String> band = new ArrayList<>();
        String[] regions = {"north", "south", "east", "west"};
        for (int i = 0; i < n; i++) {
            x[i][0] = (float) rng.nextGaussian();
            x[i][1] = (float) rng.nextGaussian();
            x[i][2] = (float) rng.nextGaussian();
            y[i] = x[i][0] + 0.8 * x[i][1] + 0.6 * rng.nextGaussian() > 0 ? 1 : 0;
            region.add(regions[i % 4]);
            segment.add(i % 3 == 0 ? "a" : "b");
            band.add(x[i][2] > 1.2 ? "high" : "normal");
        }
        Map<String, List<String>> slices = new java.util.LinkedHashMap<>();
        slices.put("region", region);
        slices.put("segment", segment);
        slices.put("band", band);
        return Holdout.ofClassification(BINARY_SCHEMA, x, y, slices);
    }

    /** A logistic model of x0 and x1 with weight {@code w1} on x1 (1 knows the truth best, 0 ignores x1). */
    static Predictor logistic(double w0, double w1) {
        return new FnPredictor(BINARY_SCHEMA, row -> {
            double p = 1 / (1 + Math.exp(-3 * (w0 * row[0] + w1 * row[1])));
            return new double[] {1 - p, p};
        });
    }

    /** A predictor computed row by row. */
    record FnPredictor(ModelSchema schema, Function<float[], double[]> fn) implements Predictor {
        @Override
        public double[][] predict(float[][] rows) {
            double[][] out = new double[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                out[i] = fn.apply(rows[i]);
            }
            return out;
        }
    }
}
