package dev.mlops.model;

/**
 * A loaded model that scores rows. Classification returns one probability per class per row
 * (columns in {@link ModelSchema#classes()} order); regression returns one column.
 */
public interface Predictor extends AutoCloseable {
    ModelSchema schema();

    /** Scores {@code rows} (row-major, features in schema order). Thread-safe. */
    double[][] predict(float[][] rows);

    @Override
    default void close() {
    }
}
