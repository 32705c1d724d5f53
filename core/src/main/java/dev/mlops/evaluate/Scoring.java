package dev.mlops.evaluate;

import dev.mlops.error.InvalidInputException;
import dev.mlops.error.MlopsException;
import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/** Scores a holdout with a loaded model in parallel batches, and checks what the model returned. */
final class Scoring {
    /** Probabilities may exceed [0, 1] by this much (float rounding in the model). */
    private static final double PROBABILITY_SLACK = 1e-6;

    private Scoring() {
    }

    /**
     * Checks that schema {@code a} can be scored against schema {@code b}: same task, same feature
     * set, same class set (order may differ and is mapped by name). Messages name both sides.
     *
     * @param nameA model name, or null when {@code a} is not a model (the holdout schema)
     */
    static void checkCompatible(String roleA, String nameA, ModelSchema a, String roleB, String nameB, ModelSchema b) {
        String whoA = nameA == null ? roleA : roleA + " model '" + nameA + "'";
        String whoB = nameB == null ? roleB : roleB + " model '" + nameB + "'";
        if (!a.task().equals(b.task())) {
            throw new InvalidInputException(whoA + " is a " + a.task() + " model but " + whoB + " is "
                    + b.task() + "; compare models of the same task");
        }
        if (!sameSet(a.features(), b.features())) {
            throw new InvalidInputException(whoA + " and " + whoB + " have different features: " + roleA + " "
                    + a.features() + ", " + roleB + " " + b.features() + " (only in " + roleA + ": "
                    + minus(a.features(), b.features()) + ", only in " + roleB + ": "
                    + minus(b.features(), a.features()) + "); compare models trained on the same features");
        }
        if (a.isClassification() && !sameSet(a.classes(), b.classes())) {
            throw new InvalidInputException(whoA + " and " + whoB + " have different classes: " + roleA + " "
                    + a.classes() + ", " + roleB + " " + b.classes() + "; compare models trained on the same classes");
        }
    }

    static ModelScores score(String role, ModelInput.Loaded model, Holdout holdout, int batchSize, int parallelism) {
        ModelSchema target = holdout.schema();
        ModelSchema schema = model.predictor().schema();
        checkCompatible(role, model.name(), schema, "holdout schema", null, target);
        int[] featureFrom = new int[schema.features().size()];
        boolean identity = true;
        for (int j = 0; j < featureFrom.length; j++) {
            featureFrom[j] = target.features().indexOf(schema.features().get(j));
            identity &= featureFrom[j] == j;
        }
        boolean classification = target.isClassification();
        int k = classification ? target.classes().size() : 1;
        int[] classFrom = new int[k];
        if (classification) {
            for (int c = 0; c < k; c++) {
                classFrom[c] = schema.classes().indexOf(target.classes().get(c));
            }
        }
        float[][] rows = holdout.features();
        int n = rows.length;
        double[] out = new double[n * k];
        int batches = (n + batchSize - 1) / batchSize;
        boolean sameOrder = identity;
        // the error reported is always the one of the first failing batch, whatever the thread timing
        RuntimeException[] errors = new RuntimeException[batches];
        AtomicInteger firstFailed = new AtomicInteger(Integer.MAX_VALUE);
        Runnable all = () -> (parallelism > 1 ? IntStream.range(0, batches).parallel() : IntStream.range(0, batches)).forEach(b -> {
            if (b > firstFailed.get()) {
                return;
            }
            int from = b * batchSize;
            int to = Math.min(n, from + batchSize);
            try {
                float[][] batch = new float[to - from][];
                for (int i = from; i < to; i++) {
                    if (sameOrder) {
                        batch[i - from] = rows[i];
                    } else {
                        float[] r = new float[featureFrom.length];
                        for (int j = 0; j < r.length; j++) {
                            r[j] = rows[i][featureFrom[j]];
                        }
                        batch[i - from] = r;
                    }
                }
                double[][] predicted = predict(role, model, batch, from, to);
                check(role, model.name(), predicted, from, to, classification, schema, k);
                for (int i = from; i < to; i++) {
                    double[] p = predicted[i - from];
                    for (int c = 0; c < k; c++) {
                        out[i * k + c] = p[classification ? classFrom[c] : 0];
                    }
                }
            } catch (RuntimeException e) {
                errors[b] = e;
                firstFailed.accumulateAndGet(b, Math::min);
            }
        });
        run(all, parallelism);
        if (firstFailed.get() != Integer.MAX_VALUE) {
            throw errors[firstFailed.get()];
        }
        return classification ? ModelScores.ofClassification(out, k) : ModelScores.ofRegression(out);
    }

    private static double[][] predict(String role, ModelInput.Loaded model, float[][] batch, int from, int to) {
        try {
            return model.predictor().predict(batch);
        } catch (MlopsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidInputException(role + " model '" + model.name() + "' failed to score holdout rows " + (from + 1)
                    + ".." + to + ": " + e, e);
        }
    }

    private static void check(String role, String name, double[][] predicted, int from, int to, boolean classification,
                              ModelSchema schema, int k) {
        String who = role + " model '" + name + "'";
        if (predicted == null || predicted.length != to - from) {
            throw new InvalidInputException(who + " returned " + (predicted == null ? "nothing" : predicted.length + " rows")
                    + " for " + (to - from) + " input rows; a predictor must return one row per input row");
        }
        int width = classification ? schema.classes().size() : 1;
        for (int r = 0; r < predicted.length; r++) {
            double[] row = predicted[r];
            if (row == null || row.length != width) {
                throw new InvalidInputException(who + " returned " + (row == null ? 0 : row.length) + " values for holdout row "
                        + (from + r + 1) + "; expected " + width + (classification ? " (one probability per class " + schema.classes() + ")" : ""));
            }
            for (int c = 0; c < width; c++) {
                double v = row[c];
                if (!Double.isFinite(v)) {
                    throw new InvalidInputException(who + " returned " + v + " for holdout row " + (from + r + 1)
                            + (classification ? " class '" + schema.classes().get(c) + "'" : "") + "; the model must return finite values");
                }
                if (classification && (v < -PROBABILITY_SLACK || v > 1 + PROBABILITY_SLACK)) {
                    throw new InvalidInputException(who + " returned " + v + " for holdout row " + (from + r + 1) + " class '"
                            + schema.classes().get(c) + "'; a classifier must return probabilities in [0, 1], not scores or logits");
                }
            }
        }
    }

    static void run(Runnable task, int parallelism) {
        if (parallelism == 1) {
            task.run();
            return;
        }
        ForkJoinPool pool = new ForkJoinPool(parallelism);
        try {
            pool.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scoring interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("scoring failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    private static boolean sameSet(List<String> a, List<String> b) {
        return a.size() == b.size() && a.containsAll(b) && b.containsAll(a);
    }

    private static List<String> minus(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.removeAll(b);
        return out;
    }
}
