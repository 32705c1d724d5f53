package dev.mlops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.IntegrityException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.MlopsException;
import dev.mlops.error.NotFoundException;
import dev.mlops.train.DjlMlpTrainer;
import dev.mlops.train.RunStatus;
import dev.mlops.train.TestData;
import dev.mlops.train.TrainRequest;
import dev.mlops.train.TrainResult;
import dev.mlops.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoaderTest {
    @TempDir
    static Path shared;
    @TempDir
    Path work;

    static Path classifier;
    static Path regressor;
    static Path churnCsv;

    @BeforeAll
    static void train() {
        churnCsv = TestData.classification(shared, 2000, 1);
        classifier = train(churnCsv, "classifier");
        regressor = train(TestData.regression(shared, 2000, 2), "regressor");
    }

    static Path train(Path csv, String name) {
        Path out = shared.resolve(name);
        TrainResult result = new DjlMlpTrainer().train(TrainRequest.builder().setWorkingDir(shared).optDataset(csv.getFileName())
                .optParams(Map.of("hidden", "32,16", "epochs", "6")).build(), out, TrainingListener.NONE);
        assertEquals(RunStatus.SUCCEEDED, result.status(), result.error());
        return out;
    }

    /** Rows around the training distribution, features in the raw units of the CSV. */
    static float[][] rows(int n, int features, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][features];
        float[] center = features == 5 ? new float[] {40, 50000, 3, 24, 0} : new float[features];
        float[] spread = features == 5 ? new float[] {12, 15000, 0.5f, 10, 0.001f} : new float[] {1, 1, 1, 1};
        for (float[] row : rows) {
            for (int f = 0; f < features; f++) {
                row[f] = center[f] + spread[f] * (float) random.nextGaussian() * 1.5f;
            }
        }
        return rows;
    }

    @Test
    void plainJavaAndDjlAgreeForClassification() {
        float[][] rows = rows(5000, 5, 3);
        try (Predictor java = ModelLoader.load(classifier, ModelLoader.Backend.JAVA);
             Predictor djl = ModelLoader.load(classifier, ModelLoader.Backend.DJL)) {
            double[][] a = java.predict(rows);
            double[][] b = djl.predict(rows);
            assertTrue(maxDifference(a, b) < 1e-5, "max difference " + maxDifference(a, b));
            for (double[] p : a) {
                assertEquals(2, p.length);
                assertEquals(1.0, p[0] + p[1], 1e-9);
            }
            assertEquals(List.of("no", "yes"), java.schema().classes());
        }
    }

    @Test
    void plainJavaAndDjlAgreeForRegression() {
        float[][] rows = rows(3000, 4, 4);
        try (Predictor java = ModelLoader.load(regressor, ModelLoader.Backend.JAVA);
             Predictor djl = ModelLoader.load(regressor, ModelLoader.Backend.DJL)) {
            double[][] a = java.predict(rows);
            double[][] b = djl.predict(rows);
            double relative = 0;
            for (int r = 0; r < a.length; r++) {
                relative = Math.max(relative, Math.abs(a[r][0] - b[r][0]) / Math.max(1, Math.abs(b[r][0])));
            }
            assertTrue(relative < 1e-5, "max relative difference " + relative); // prices are about 100
            assertTrue(Math.abs(a[0][0] - 100) < 30, "prediction " + a[0][0]);
            assertEquals(1, a[0].length);
        }
    }

    @Test
    void reloadedModelScoresTheTrainingDataAsTrained() throws IOException {
        List<String> lines = Files.readAllLines(churnCsv);
        float[][] rows = new float[lines.size() - 1][];
        int correct = 0;
        for (int r = 1; r < lines.size(); r++) {
            String[] cells = lines.get(r).split(",");
            rows[r - 1] = new float[5];
            for (int f = 0; f < 5; f++) {
                rows[r - 1][f] = Float.parseFloat(cells[f]);
            }
        }
        try (Predictor first = ModelLoader.load(classifier); Predictor again = ModelLoader.load(classifier)) {
            double[][] p = first.predict(rows);
            assertEquals(0.0, maxDifference(p, again.predict(rows)));
            for (int r = 0; r < rows.length; r++) {
                String predicted = p[r][1] > 0.5 ? "yes" : "no";
                correct += predicted.equals(lines.get(r + 1).split(",")[5]) ? 1 : 0;
            }
        }
        assertTrue(correct / (double) rows.length > 0.85, "accuracy " + correct / (double) rows.length);
    }

    @Test
    void largeBatchesAreSplitAndKeepRowOrder() {
        float[][] rows = rows(70_000, 5, 5);
        try (Predictor java = ModelLoader.load(classifier, ModelLoader.Backend.JAVA);
             Predictor djl = ModelLoader.load(classifier, ModelLoader.Backend.DJL)) {
            double[][] all = java.predict(rows);
            double[][] one = java.predict(new float[][] {rows[69_999]});
            assertEquals(all[69_999][1], one[0][1], 0.0);
            assertTrue(maxDifference(all, djl.predict(rows)) < 1e-5);
        }
    }

    @Test
    void missingSchemaNamesTheFileAndTheFix() throws IOException {
        Path copy = copy(classifier);
        Files.delete(copy.resolve("schema.json"));
        MlopsException e = assertThrows(InvalidInputException.class, () -> ModelLoader.load(copy));
        assertTrue(e.getMessage().startsWith("model: " + copy.resolve("schema.json") + " is missing"), e.getMessage());
    }

    @Test
    void unknownFormatListsTheSupportedOnes() throws IOException {
        Path copy = copy(classifier);
        Files.writeString(copy.resolve("mlp.json"), "{\"format\":\"xgboost\"}");
        MlopsException e = assertThrows(InvalidInputException.class, () -> ModelLoader.load(copy));
        assertTrue(e.getMessage().endsWith("has format 'xgboost'; supported formats: djl-mlp, onnx"), e.getMessage());

        Files.delete(copy.resolve("mlp.json"));
        e = assertThrows(InvalidInputException.class, () -> ModelLoader.load(copy));
        assertTrue(e.getMessage().contains("has neither mlp.json (djl-mlp) nor model.onnx (onnx)"), e.getMessage());

        assertThrows(NotFoundException.class, () -> ModelLoader.load(work.resolve("nothing-here")));
    }

    @Test
    void corruptParamsNameTheFileAndTheFixOnBothBackends() throws IOException {
        Path copy = copy(classifier);
        Path params = copy.resolve(MlpDescriptor.read(copy).paramsFile());
        byte[] bytes = Files.readAllBytes(params);
        Files.write(params, Arrays.copyOf(bytes, bytes.length / 2));
        for (ModelLoader.Backend backend : ModelLoader.Backend.values()) {
            MlopsException e = assertThrows(IntegrityException.class, () -> ModelLoader.load(copy, backend).close());
            assertTrue(e.getMessage().startsWith("model: " + params + " is corrupt ("), backend + ": " + e.getMessage());
            assertTrue(e.getMessage().endsWith("restore the model folder from the registry (mlops download) or re-train"), e.getMessage());
        }
        Files.writeString(params, "not a model");
        MlopsException e = assertThrows(IntegrityException.class, () -> ModelLoader.load(copy));
        assertTrue(e.getMessage().contains("does not start with the DJL@ header"), e.getMessage());
    }

    @Test
    void schemaThatDoesNotMatchTheNetworkIsRejected() throws IOException {
        Path copy = copy(classifier);
        new ModelSchema("classification", List.of("a", "b"), "y", List.of("0", "1")).write(copy);
        MlopsException e = assertThrows(IntegrityException.class, () -> ModelLoader.load(copy));
        assertTrue(e.getMessage().contains("does not match schema.json"), e.getMessage());
    }

    @Test
    void wrongRowWidthNamesTheRow() {
        try (Predictor predictor = ModelLoader.load(classifier)) {
            MlopsException e = assertThrows(InvalidInputException.class,
                    () -> predictor.predict(new float[][] {new float[5], new float[3]}));
            assertTrue(e.getMessage().startsWith("rows[1]: 3 values but the model takes 5 features"), e.getMessage());
        }
    }

    Path copy(Path model) throws IOException {
        Path copy = work.resolve("copy");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(model)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }

    static double maxDifference(double[][] a, double[][] b) {
        double max = 0;
        for (int r = 0; r < a.length; r++) {
            for (int c = 0; c < a[r].length; c++) {
                max = Math.max(max, Math.abs(a[r][c] - b[r][c]));
            }
        }
        return max;
    }
}
