package dev.mlops.registry;

import dev.mlops.lineage.Lineage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What to register. {@code paths} are files or folders (a folder contributes every file below it,
 * with its relative path). {@code metrics} are validated as finite numbers by the registry.
 */
public record RegisterRequest(String model, List<Path> paths, String format, String description,
                              Map<String, Double> metrics, Map<String, String> params, Map<String, String> tags,
                              Lineage lineage, String reason) {
    public RegisterRequest {
        paths = paths == null ? List.of() : List.copyOf(paths);
        metrics = metrics == null ? Map.of() : new TreeMap<>(metrics);
        params = params == null ? Map.of() : new TreeMap<>(params);
        tags = tags == null ? Map.of() : new TreeMap<>(tags);
    }
}
