package dev.mlops.evaluate;

import dev.mlops.model.Predictor;
import java.nio.file.Path;
import java.util.Objects;

/** A model to evaluate: one the engine can score, or a file of its precomputed predictions. */
public sealed interface ModelInput permits ModelInput.Loaded, ModelInput.Precomputed {
    /** How the model is named in reports, e.g. {@code churn@candidate} or {@code churn v3}. */
    String name();

    /** Where the scores came from, for reports. */
    String source();

    static ModelInput of(String name, Predictor predictor) {
        return new Loaded(name, predictor);
    }

    static ModelInput predictions(String name, Path file) {
        return new Precomputed(name, file);
    }

    /** A loaded model; the caller keeps ownership and closes it. */
    record Loaded(String name, Predictor predictor) implements ModelInput {
        public Loaded {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(predictor, "predictor");
        }

        @Override
        public String source() {
            return "predictor";
        }
    }

    /** Precomputed predictions, see {@link PredictionFile}. */
    record Precomputed(String name, Path file) implements ModelInput {
        public Precomputed {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String source() {
            return "prediction file " + file;
        }
    }
}
