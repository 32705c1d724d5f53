package dev.mlops.train;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a trainer reports. The model files are whatever it left in the output folder.
 *
 * @param status      SUCCEEDED, FAILED or CANCELLED
 * @param metrics     final metrics by name
 * @param epochs      metrics per epoch, oldest first (empty when the trainer reports none)
 * @param format      model format of the output ("djl-mlp", "onnx") or null when unknown
 * @param exitCode    exit code of a training command; null for an in-process trainer
 * @param usage       wall time, CPU time, peak RSS
 * @param device      where it trained, e.g. "cpu", "gpu(0)", or "process" for a command
 * @param environment trainer-specific facts (library versions, device notes)
 * @param error       why it failed or was cancelled; null on success
 * @param warnings    problems that did not stop the run (e.g. a non-numeric metric)
 */
public record TrainResult(RunStatus status, Map<String, Double> metrics, List<EpochMetrics> epochs, String format,
                          Integer exitCode, ResourceUsage usage, String device, Map<String, String> environment,
                          String error, List<String> warnings) {
    public TrainResult {
        Objects.requireNonNull(status, "status");
        if (status == RunStatus.RUNNING) {
            throw new IllegalArgumentException("a finished training cannot be RUNNING");
        }
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metrics));
        epochs = epochs == null ? List.of() : List.copyOf(epochs);
        usage = usage == null ? ResourceUsage.NONE : usage;
        environment = environment == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(environment));
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
