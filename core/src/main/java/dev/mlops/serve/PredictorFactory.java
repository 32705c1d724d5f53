package dev.mlops.serve;

import dev.mlops.model.Predictor;
import java.nio.file.Path;

/**
 * The port through which the server turns a model folder into a {@link Predictor}. The CLI passes
 * {@code ModelLoader::load}; tests pass a tiny in-memory model.
 */
@FunctionalInterface
public interface PredictorFactory {
    Predictor load(Path modelDir);
}
