package dev.mlops.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.InvalidInputException;
import dev.mlops.model.MlpDescriptor;
import dev.mlops.model.ModelSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlMlpTrainerTest {
    static final Map<String, String> FAST = Map.of("hidden", "32,16", "epochs", "8", "batch_size", "64", "learning_rate", "0.01");
    static final Pattern PROGRESS = Pattern.compile("epoch \\d+/8 loss=\\d+\\.\\d{3} val_loss=\\d+\\.\\d{3} val_accuracy=\\d\\.\\d{3} eta=\\d+s");

    @TempDir
    static Path data;
    @TempDir
    Path work;

    static Path churn;
    static Path prices;

    @BeforeAll
    static void generate() {
        churn = TestData.classification(data, 2000, 1);
        prices = TestData.regression(data, 2000, 2);
    }

    static TrainRequest request(Path csv, Map<String, String> params, long seed) {
        return TrainRequest.builder().setWorkingDir(csv.getParent()).optDataset(csv.getFileName()).optParams(params).optSeed(seed).build();
    }

    @Test
    void classifiesGeneratedDataWellAndWritesTheModelFolder() throws IOException {
        List<String> lines = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void progress(TrainingProgress progress) {
                lines.add(progress.describe());
            }
        };
        Map<String, String> params = new HashMap<>(FAST);
        params.put("label", "churned");
        TrainResult result = new DjlMlpTrainer().train(request(churn, params, 42), work, listener);

        assertEquals(RunStatus.SUCCEEDED, result.status(), result.error());
        assertTrue(result.metrics().get("val_accuracy") > 0.85, "val_accuracy " + result.metrics());
        assertEquals(8, result.epochs().size());
        assertEquals(8, lines.size());
        assertTrue(PROGRESS.matcher(lines.get(2)).matches(), lines.get(2));
        assertTrue(result.epochs().get(7).metrics().get("loss") < result.epochs().get(0).metrics().get("loss"));
        assertEquals("cpu", result.device());
        assertEquals("djl-mlp", result.format());
        assertEquals("cpu", result.environment().get("pytorch.flavor"));
        assertTrue(result.environment().get("gpu.note").contains("CPU"));
        assertTrue(result.usage().wallMillis() > 0);

        ModelSchema schema = ModelSchema.read(work);
        assertEquals(ModelSchema.CLASSIFICATION, schema.task());
        assertEquals(List.of("age", "income", "visits", "tenure", "score"), schema.features());
        assertEquals(List.of("no", "yes"), schema.classes());
        MlpDescriptor mlp = MlpDescriptor.read(work);
        assertEquals(List.of(32, 16), mlp.hidden());
        assertEquals("mlp-0008.params", mlp.paramsFile());
        assertTrue(Files.size(work.resolve(mlp.paramsFile())) > 1000);
        assertTrue(Math.abs(mlp.featureMean().get(1) - 50000) < 2000, "income mean " + mlp.featureMean());
    }

    @Test
    void regressionReachesAGoodR2() {
        Map<String, String> params = new HashMap<>(FAST);
        params.put("epochs", "10");
        params.put("batch_size", "128");
        params.put("learning_rate", "0.02");
        TrainResult result = new DjlMlpTrainer().train(request(prices, params, 42), work, TrainingListener.NONE);

        assertEquals(RunStatus.SUCCEEDED, result.status(), result.error());
        assertTrue(result.metrics().get("val_r2") > 0.9, "metrics " + result.metrics());
        assertTrue(result.metrics().get("val_rmse") < 1.5, "metrics " + result.metrics());
        assertEquals(ModelSchema.REGRESSION, ModelSchema.read(work).task());
        assertEquals("price", ModelSchema.read(work).label());
        assertTrue(Math.abs(MlpDescriptor.read(work).labelMean() - 101) < 0.5);
    }

    @Test
    void sameSeedWritesIdenticalParameterBytes() throws IOException {
        Map<String, String> params = Map.of("hidden", "16", "epochs", "3", "batch_size", "256");
        Path first = work.resolve("a");
        Path second = work.resolve("b");
        Path other = work.resolve("c");
        new DjlMlpTrainer().train(request(churn, params, 7), first, TrainingListener.NONE);
        new DjlMlpTrainer().train(request(churn, params, 7), second, TrainingListener.NONE);
        new DjlMlpTrainer().train(request(churn, params, 8), other, TrainingListener.NONE);

        byte[] bytes = Files.readAllBytes(first.resolve("mlp-0003.params"));
        assertArrayEquals(bytes, Files.readAllBytes(second.resolve("mlp-0003.params")));
        assertArrayEquals(Files.readAllBytes(first.resolve("mlp.json")), Files.readAllBytes(second.resolve("mlp.json")));
        assertFalse(Arrays.equals(bytes, Files.readAllBytes(other.resolve("mlp-0003.params"))));
    }

    @Test
    void cancelStopsBetweenBatches() throws Exception {
        DjlMlpTrainer trainer = new DjlMlpTrainer();
        TrainingListener cancelAfterFirstEpoch = new TrainingListener() {
            @Override
            public void progress(TrainingProgress progress) {
                trainer.cancel();
            }
        };
        TrainResult result = CompletableFuture.supplyAsync(() -> trainer.train(request(churn, Map.of("epochs", "50"), 1), work,
                cancelAfterFirstEpoch)).get(60, TimeUnit.SECONDS);

        assertEquals(RunStatus.CANCELLED, result.status());
        assertEquals(1, result.epochs().size());
        assertFalse(Files.exists(work.resolve(ModelSchema.FILE)));
    }

    @Test
    void rejectsBadParametersNamingThem() {
        DjlMlpTrainer trainer = new DjlMlpTrainer();
        assertMessage(() -> trainer.validate(request(churn, Map.of("learnig_rate", "0.1"), 1)), "params.learnig_rate: unknown parameter");
        assertMessage(() -> trainer.validate(request(churn, Map.of("epochs", "0"), 1)), "params.epochs: '0' is not a whole number");
        assertMessage(() -> trainer.validate(request(churn, Map.of("hidden", "64,x"), 1)), "params.hidden: 'x'");
        assertMessage(() -> trainer.validate(request(churn, Map.of("validation_split", "1"), 1)), "params.validation_split:");
        assertMessage(() -> trainer.train(request(churn, Map.of("label", "gone"), 1), work, TrainingListener.NONE),
                "label: column 'gone' is not in churn.csv");
        assertMessage(() -> trainer.train(request(churn, Map.of("features", "age,nope"), 1), work, TrainingListener.NONE),
                "features: column 'nope'");
        assertMessage(() -> trainer.validate(TrainRequest.builder().setWorkingDir(work).build()), "data: djl-mlp needs a training CSV");
    }

    @Test
    void defaultsToTheLastColumnAndNumericFeatures() throws IOException {
        Path csv = TestData.write(work.resolve("mixed.csv"), "id,city,x,y\n" + "a,paris,1,0\n".repeat(20) + "b,rome,-1,1\n".repeat(20));
        TrainResult result = new DjlMlpTrainer().train(request(csv, Map.of("epochs", "2", "validation_split", "0"), 1),
                work.resolve("out"), TrainingListener.NONE);

        assertEquals(RunStatus.SUCCEEDED, result.status());
        ModelSchema schema = ModelSchema.read(work.resolve("out"));
        assertEquals("y", schema.label());
        assertEquals(List.of("x"), schema.features());
        assertEquals(List.of("0", "1"), schema.classes());
        assertNull(result.metrics().get("val_accuracy"));
    }

    static void assertMessage(Runnable call, String start) {
        InvalidInputException e = assertThrows(InvalidInputException.class, call::run);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
