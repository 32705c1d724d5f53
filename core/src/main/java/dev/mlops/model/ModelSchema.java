package dev.mlops.model;

import java.util.List;
import java.util.Objects;

/**
 * What a tabular model expects and produces. Stored as {@code schema.json} beside the model
 * files, so evaluation can check a holdout against it before scoring.
 *
 * @param task     "classification" or "regression"
 * @param features input columns, in the order the model takes them
 * @param label    the label column of training data
 * @param classes  class labels in output order (classification only; empty for regression)
 */
public record ModelSchema(String task, List<String> features, String label, List<String> classes) {
    public static final String FILE = "schema.json";
    public static final String CLASSIFICATION = "classification";
    public static final String REGRESSION = "regression";

    public ModelSchema {
        Objects.requireNonNull(task, "task");
        if (!task.equals(CLASSIFICATION) && !task.equals(REGRESSION)) {
            throw new IllegalArgumentException("task must be classification or regression, not " + task);
        }
        features = List.copyOf(features);
        classes = classes == null ? List.of() : List.copyOf(classes);
    }

    public boolean isClassification() {
        return task.equals(CLASSIFICATION);
    }
}
