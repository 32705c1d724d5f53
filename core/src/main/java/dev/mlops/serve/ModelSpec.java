package dev.mlops.serve;

import dev.mlops.error.InvalidInputException;
import dev.mlops.registry.Names;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One model version to serve: its public name, its registry version number, the folder the
 * {@link PredictorFactory} loads it from, and the platform reported in model metadata (e.g.
 * {@code onnxruntime_onnx}; default {@value #DEFAULT_PLATFORM}).
 */
public record ModelSpec(String name, int version, Path dir, String platform) {
    /** Platform reported in model metadata when none is given. */
    public static final String DEFAULT_PLATFORM = "mlops";

    public ModelSpec(String name, int version, Path dir) {
        this(name, version, dir, null);
    }

    public ModelSpec {
        platform = platform == null || platform.isBlank() ? DEFAULT_PLATFORM : platform;
        Names.model(name);
        if (version < 1) {
            throw new InvalidInputException("version: " + version + " of model " + name + " is not a version number; use 1 or more");
        }
        Objects.requireNonNull(dir, "dir");
    }

    public String ref() {
        return name + ":" + version;
    }
}
