package dev.mlops.registry;

import dev.mlops.lineage.Lineage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An immutable registered version of a model, written once and never changed. */
public record ModelVersion(int schema, String model, int version, String format, String description,
                           List<ModelFile> files, Map<String, Double> metrics, Map<String, String> params,
                           Map<String, String> tags, Lineage lineage, Instant createdAt, String createdBy) {
    public static final int SCHEMA = 1;

    public ModelVersion {
        files = files == null ? List.of() : List.copyOf(files);
        metrics = metrics == null ? Map.of() : new TreeMap<>(metrics);
        params = params == null ? Map.of() : new TreeMap<>(params);
        tags = tags == null ? Map.of() : new TreeMap<>(tags);
    }

    public String ref() {
        return model + ":" + version;
    }

    public long totalBytes() {
        return files.stream().mapToLong(ModelFile::sizeBytes).sum();
    }
}
