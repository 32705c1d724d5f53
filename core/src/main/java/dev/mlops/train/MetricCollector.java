package dev.mlops.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metrics a training command reports: {@code mlops-metric name=value ...} lines (later lines win;
 * a line with {@code epoch=N} also becomes that epoch's metrics) and a flat
 * {@code {"name": number}} metrics.json, read last so it wins over lines. A value that is not a
 * finite number becomes a warning, never a failure.
 */
final class MetricCollector {
    static final String PREFIX = "mlops-metric";
    static final String METRICS_FILE = "metrics.json";

    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private final Map<Integer, Map<String, Double>> epochs = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();

    /** Parses one output line; returns the epoch's metrics when the line carries {@code epoch=N}, else null. */
    EpochMetrics line(String line) {
        String trimmed = line.strip();
        if (!trimmed.startsWith(PREFIX + " ") && !trimmed.startsWith(PREFIX + "\t")) {
            return null;
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (String pair : trimmed.substring(PREFIX.length()).trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                warnings.add("output: '" + pair + "' in '" + trimmed + "' is not name=value; print e.g. mlops-metric accuracy=0.93");
                continue;
            }
            Double value = number(pair.substring(eq + 1));
            if (value == null) {
                warnings.add("output: metric " + pair.substring(0, eq) + "='" + pair.substring(eq + 1)
                        + "' is not a finite number; ignored (print e.g. mlops-metric " + pair.substring(0, eq) + "=0.93)");
                continue;
            }
            values.put(pair.substring(0, eq), value);
        }
        Double epoch = values.remove("epoch");
        metrics.putAll(values);
        if (epoch == null || epoch < 1 || epoch != Math.rint(epoch)) {
            return null;
        }
        Map<String, Double> epochValues = epochs.computeIfAbsent(epoch.intValue(), e -> new LinkedHashMap<>());
        epochValues.putAll(values);
        return new EpochMetrics(epoch.intValue(), epochValues);
    }

    /** Reads {@code metrics.json} when present. */
    void file(Path metricsFile) {
        if (!Files.isRegularFile(metricsFile)) {
            return;
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(Files.readAllBytes(metricsFile));
        } catch (IOException e) {
            warnings.add(METRICS_FILE + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + "); ignored. Write a flat object like {\"accuracy\": 0.93}");
            return;
        }
        if (root == null || !root.isObject()) {
            warnings.add(METRICS_FILE + ": not a JSON object; ignored. Write a flat object like {\"accuracy\": 0.93}");
            return;
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            JsonNode node = field.getValue();
            Double value = node.isNumber() ? Double.valueOf(node.doubleValue()) : node.isTextual() ? number(node.textValue()) : null;
            if (value == null || !Double.isFinite(value)) {
                warnings.add(METRICS_FILE + ": " + field.getKey() + " is " + node + ", not a finite number; ignored");
                continue;
            }
            metrics.put(field.getKey(), value);
        }
    }

    Map<String, Double> metrics() {
        return metrics;
    }

    List<EpochMetrics> epochs() {
        List<EpochMetrics> list = new ArrayList<>();
        epochs.forEach((epoch, values) -> list.add(new EpochMetrics(epoch, values)));
        return list;
    }

    List<String> warnings() {
        return warnings;
    }

    private static Double number(String text) {
        try {
            double value = Double.parseDouble(text.trim());
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
