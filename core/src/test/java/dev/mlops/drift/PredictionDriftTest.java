package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.model.ModelSchema;
import dev.mlops.serve.SyntheticMlp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model's predictions on the training data are profiled and compared with the logged outputs. */
class PredictionDriftTest {
    @TempDir
    Path dir;

    @Test
    void predictionDistributionIsProfiledAndComparedWithLoggedOutputs() throws IOException {
        SyntheticMlp model = new SyntheticMlp(3, new int[] {8}, 2, 7);
        ModelSchema schema = model.schema();
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("f0,f1,f2,label\n");
        for (int i = 0; i < 5000; i++) {
            csv.append(random.nextGaussian()).append(',').append(random.nextGaussian()).append(',').append(random.nextGaussian())
                    .append(",c0\n");
        }
        Path train = dir.resolve("train.csv");
        Files.writeString(train, csv.toString());
        ReferenceProfile profile = ReferenceProfiler.profile(train, ReferenceProfiler.Options.of(schema), model, Instant.EPOCH);
        assertNotNull(profile.prediction());
        assertEquals(List.of("c0", "c1"), profile.classes());
        assertEquals(5000, profile.prediction().count());

        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            float[] row = {(float) (random.nextGaussian() + 2), (float) random.nextGaussian(), (float) random.nextGaussian()};
            double[] out = model.predict(new float[][] {row})[0];
            lines.add("{\"ts\":\"2025-01-01T00:00:00Z\",\"model\":\"m\",\"version\":1,\"inputs\":[[" + row[0] + "," + row[1] + "," + row[2]
                    + "]],\"outputs\":[[" + out[0] + "," + out[1] + "]]}");
        }
        Files.write(logs.resolve("inference-000001.jsonl"), lines);
        CurrentWindow window = new CurrentWindow(profile, 10_000, 1);
        CurrentSources.logs(window, logs, new CurrentSources.LogFilter(null, null, null, null, 0));
        DriftReport report = DriftAnalyzer.analyze(window, DriftSettings.defaults(), "m", 1, null, null, Instant.EPOCH);
        assertEquals(3000, report.prediction().currentCount());
        assertEquals("f0", report.features().get(0).feature());
        assertTrue(report.features().get(0).drifted());
        assertFalse(report.features().get(1).drifted());
        double shift = Math.abs(report.prediction().currentShares().get(0) - report.prediction().referenceShares().get(0));
        assertEquals(shift > 0.05, report.prediction().drifted() || report.prediction().statistic() < 0.1,
                "prediction drift is decided on the class shares");
        assertTrue(report.summary().containsKey("prediction_drift"));
    }
}
