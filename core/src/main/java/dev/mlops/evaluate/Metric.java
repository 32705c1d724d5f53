package dev.mlops.evaluate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.mlops.error.InvalidInputException;
import dev.mlops.model.ModelSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The metrics the engine computes, each with its direction and the task it applies to. Values
 * follow scikit-learn 1.2 exactly (see {@link ClassificationMetrics}, {@link RegressionMetrics}).
 */
public enum Metric {
    ACCURACY("accuracy", Direction.HIGHER_IS_BETTER, ModelSchema.CLASSIFICATION, "accuracy"),
    PRECISION_MACRO("precision_macro", Direction.HIGHER_IS_BETTER, ModelSchema.CLASSIFICATION, "precision (macro)"),
    RECALL_MACRO("recall_macro", Direction.HIGHER_IS_BETTER, ModelSchema.CLASSIFICATION, "recall (macro)"),
    F1_MACRO("f1_macro", Direction.HIGHER_IS_BETTER, ModelSchema.CLASSIFICATION, "F1 (macro)"),
    ROC_AUC("roc_auc", Direction.HIGHER_IS_BETTER, ModelSchema.CLASSIFICATION, "ROC AUC"),
    LOG_LOSS("log_loss", Direction.LOWER_IS_BETTER, ModelSchema.CLASSIFICATION, "log loss"),
    RMSE("rmse", Direction.LOWER_IS_BETTER, ModelSchema.REGRESSION, "RMSE"),
    MAE("mae", Direction.LOWER_IS_BETTER, ModelSchema.REGRESSION, "MAE"),
    R2("r2", Direction.HIGHER_IS_BETTER, ModelSchema.REGRESSION, "R²");

    private final String id;
    private final Direction direction;
    private final String task;
    private final String label;

    Metric(String id, Direction direction, String task, String label) {
        this.id = id;
        this.direction = direction;
        this.task = task;
        this.label = label;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public Direction direction() {
        return direction;
    }

    /** {@link ModelSchema#CLASSIFICATION} or {@link ModelSchema#REGRESSION}. */
    public String task() {
        return task;
    }

    /** Human-readable name for reports. */
    public String label() {
        return label;
    }

    public boolean appliesTo(String task) {
        return this.task.equals(task);
    }

    /** Whether a bootstrap of this metric costs O(n) per resample (ROC AUC) rather than less. */
    public boolean expensiveToBootstrap() {
        return this == ROC_AUC;
    }

    public static Optional<Metric> byId(String id) {
        return Stream.of(values()).filter(m -> m.id.equals(id)).findFirst();
    }

    @JsonCreator
    public static Metric fromId(String id) {
        return byId(id).orElseThrow(() -> new InvalidInputException(
                "metric '" + id + "' is unknown; use one of " + ids()));
    }

    public static List<Metric> forTask(String task) {
        List<Metric> out = new ArrayList<>();
        for (Metric m : values()) {
            if (m.appliesTo(task)) {
                out.add(m);
            }
        }
        return List.copyOf(out);
    }

    /** All metric ids, comma separated, for messages. */
    public static String ids() {
        return Stream.of(values()).map(Metric::id).collect(Collectors.joining(", "));
    }
}
