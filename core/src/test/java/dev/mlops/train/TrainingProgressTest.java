package dev.mlops.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingProgressTest {
    @Test
    void describesAnEpochInOneCompactLine() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", 0.41234);
        metrics.put("val_accuracy", 0.9131);
        assertEquals("epoch 3/20 loss=0.412 val_accuracy=0.913 eta=4s",
                new TrainingProgress(3, 20, metrics, Duration.ofMillis(4400)).describe());
        assertEquals("epoch 2 loss=1.000", new TrainingProgress(2, 0, Map.of("loss", 1.0), null).describe());
        assertEquals("epoch 1/2 eta=2m5s", new TrainingProgress(1, 2, Map.of(), Duration.ofSeconds(125)).describe());
        assertEquals("epoch 1/2 rmse=1234.6 eta=1h1m", new TrainingProgress(1, 2, Map.of("rmse", 1234.56), Duration.ofSeconds(3690)).describe());
    }
}
