package dev.mlops.serve;

import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;

/** One model version in the server: its spec, its predictor once loaded, and its metrics. */
final class ServedVersion {
    private final ModelSpec spec;
    private final ServeMetrics.VersionStats stats;
    private volatile Predictor predictor;

    ServedVersion(ModelSpec spec, ServeMetrics.VersionStats stats) {
        this.spec = spec;
        this.stats = stats;
    }

    ModelSpec spec() {
        return spec;
    }

    ServeMetrics.VersionStats stats() {
        return stats;
    }

    /** The predictor, or null while loading. */
    Predictor predictor() {
        return predictor;
    }

    ModelSchema schema() {
        Predictor p = predictor;
        return p == null ? null : p.schema();
    }

    void loaded(Predictor loaded) {
        this.predictor = loaded;
    }
}
