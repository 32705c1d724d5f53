package dev.mlops.serve;

import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Tiny in-test models: a fixed linear model with softmax whose bias depends on the version, so answers tell versions apart. */
final class TestModels {
    static final List<String> FEATURES = List.of("age", "income", "tenure");
    static final List<String> CLASSES = List.of("stay", "churn");

    private TestModels() {
    }

    /** p(churn) = softmax([0, w.x + bias]); bias = version / 10. */
    record Linear(int version, ModelSchema schema) implements Predictor {
        Linear(int version) {
            this(version, new ModelSchema(ModelSchema.CLASSIFICATION, FEATURES, "churned", CLASSES));
        }

        static final float[] W = {0.5f, -0.25f, 1.0f};

        @Override
        public double[][] predict(float[][] rows) {
            double[][] out = new double[rows.length][];
            for (int r = 0; r < rows.length; r++) {
                if (rows[r].length != W.length) {
                    throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " values");
                }
                double z = version / 10.0;
                for (int i = 0; i < W.length; i++) {
                    z += W[i] * rows[r][i];
                }
                double p = 1 / (1 + Math.exp(-z));
                out[r] = new double[] {1 - p, p};
            }
            return out;
        }

        static double churn(int version, float... x) {
            double z = version / 10.0;
            for (int i = 0; i < W.length; i++) {
                z += W[i] * x[i];
            }
            return 1 / (1 + Math.exp(-z));
        }
    }

    /** A regression model: y = sum(x). */
    record Sum(ModelSchema schema) implements Predictor {
        Sum() {
            this(new ModelSchema(ModelSchema.REGRESSION, List.of("a", "b"), "y", List.of()));
        }

        @Override
        public double[][] predict(float[][] rows) {
            double[][] out = new double[rows.length][1];
            for (int r = 0; r < rows.length; r++) {
                for (float v : rows[r]) {
                    out[r][0] += v;
                }
            }
            return out;
        }
    }

    /** Blocks every prediction until released; counts how many started. */
    static final class Slow implements Predictor {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final Linear inner = new Linear(1);

        @Override
        public ModelSchema schema() {
            return inner.schema();
        }

        @Override
        public double[][] predict(float[][] rows) {
            started.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return inner.predict(rows);
        }
    }

    /** Loads {@code .../NAME/VERSION} folders as {@link Linear} of that version. */
    static PredictorFactory linearByFolder() {
        return dir -> new Linear(Integer.parseInt(dir.getFileName().toString()));
    }

    static ModelSpec spec(Path root, String name, int version) {
        return new ModelSpec(name, version, root.resolve(name).resolve(Integer.toString(version)));
    }
}
