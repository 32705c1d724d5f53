package dev.mlops.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The metrics of one epoch (e.g. loss, val_loss, val_accuracy), in the order the trainer reported them. */
public record EpochMetrics(int epoch, Map<String, Double> metrics) {
    public EpochMetrics {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, not " + epoch);
        }
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
