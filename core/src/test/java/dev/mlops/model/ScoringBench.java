package dev.mlops.model;

import dev.mlops.train.DjlMlpTrainer;
import dev.mlops.train.RunStatus;
import dev.mlops.train.TrainRequest;
import dev.mlops.train.TrainResult;
import dev.mlops.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Scoring throughput of a small djl-mlp model (10 features, hidden 32-16, 2 classes) on 1,000,000
 * rows through each backend. Not a test; run with
 * {@code java -Dai.djl.offline=true -cp <test classpath> dev.mlops.model.ScoringBench [rows] [repeats]}.
 * Prints the best of the repeats per backend, after one warm-up pass; the backends alternate.
 * Also: {@code mvn -q -o -pl core exec:java -Dexec.mainClass=dev.mlops.model.ScoringBench
 * -Dexec.classpathScope=test -Dai.djl.offline=true}.
 */
public final class ScoringBench {
    private ScoringBench() {
    }

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("scoring-bench");
        Path model = train(dir);
        float[][] data = rows(rows, 10, 99);
        System.out.printf(Locale.ROOT, "rows=%,d features=10 hidden=32,16 classes=2 cores=%d java=%s%n", rows,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        ModelLoader.Backend[] backends = {ModelLoader.Backend.JAVA, ModelLoader.Backend.DJL};
        Predictor[] predictors = new Predictor[backends.length];
        double[] loadMillis = new double[backends.length];
        long[] best = new long[backends.length];
        double checksum = 0;
        try {
            for (int b = 0; b < backends.length; b++) {
                long start = System.nanoTime();
                predictors[b] = ModelLoader.load(model, backends[b]);
                loadMillis[b] = (System.nanoTime() - start) / 1e6;
                checksum += predictors[b].predict(data)[0][1]; // warm-up
                best[b] = Long.MAX_VALUE;
            }
            // rounds alternate the backends, so a burst of load on this machine hits both alike
            for (int i = 0; i < repeats; i++) {
                for (int b = 0; b < backends.length; b++) {
                    long start = System.nanoTime();
                    double[][] scores = predictors[b].predict(data);
                    best[b] = Math.min(best[b], System.nanoTime() - start);
                    checksum += scores[rows - 1][1];
                }
            }
        } finally {
            for (Predictor predictor : predictors) {
                if (predictor != null) {
                    predictor.close();
                }
            }
        }
        for (int b = 0; b < backends.length; b++) {
            System.out.printf(Locale.ROOT, "%-5s load %7.1f ms  best %7.1f ms  %,12.0f rows/s%n", backends[b], loadMillis[b],
                    best[b] / 1e6, rows / (best[b] / 1e9));
        }
        System.out.printf(Locale.ROOT, "(checksum %.6f)%n", checksum);
    }

    static Path train(Path dir) throws IOException {
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder();
        for (int f = 0; f < 10; f++) {
            csv.append('f').append(f).append(',');
        }
        csv.append("label\n");
        for (int r = 0; r < 5000; r++) {
            double signal = 0;
            for (int f = 0; f < 10; f++) {
                double x = random.nextGaussian();
                signal += (f % 3 - 1) * x;
                csv.append(String.format(Locale.ROOT, "%.4f,", x));
            }
            csv.append(signal > 0 ? 1 : 0).append('\n');
        }
        Files.writeString(dir.resolve("bench.csv"), csv);
        TrainResult result = new DjlMlpTrainer().train(TrainRequest.builder().setWorkingDir(dir).optDataset(Path.of("bench.csv"))
                .optParams(Map.of("hidden", "32,16", "epochs", "3")).build(), dir.resolve("model"), TrainingListener.NONE);
        if (result.status() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException("training failed: " + result.error());
        }
        return dir.resolve("model");
    }

    static float[][] rows(int n, int features, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][features];
        for (float[] row : rows) {
            for (int f = 0; f < features; f++) {
                row[f] = (float) random.nextGaussian();
            }
        }
        return rows;
    }
}
