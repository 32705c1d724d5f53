package dev.mlops.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.mlops.error.IntegrityException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @JsonIgnore
    public boolean isClassification() {
        return task.equals(CLASSIFICATION);
    }

    /** Number of output columns of {@link Predictor#predict}: the classes, or 1 for regression. */
    @JsonIgnore
    public int outputs() {
        return isClassification() ? classes.size() : 1;
    }

    /** Reads {@code modelDir/schema.json}; a missing or damaged file is an error naming it and the fix. */
    public static ModelSchema read(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("model: " + file + " is missing; a model folder needs " + FILE
                    + " {task, features, label, classes} (mlops train writes it; write it beside model.onnx for an ONNX model)");
        }
        try {
            ModelSchema schema = Json.mapper().readValue(Files.readAllBytes(file), ModelSchema.class);
            if (schema.features().isEmpty() || schema.isClassification() && schema.classes().size() < 2) {
                throw new IllegalArgumentException("needs at least one feature" + (schema.isClassification() ? " and two classes" : ""));
            }
            return schema;
        } catch (IOException | RuntimeException e) {
            throw new IntegrityException("model: " + file + " is not a valid schema (" + firstLine(e)
                    + "); expected {\"task\":\"classification\",\"features\":[...],\"label\":\"y\",\"classes\":[...]}", e);
        }
    }

    /** Writes {@code modelDir/schema.json}. */
    public void write(Path modelDir) {
        try {
            Files.createDirectories(modelDir);
            Files.write(modelDir.resolve(FILE), Json.toPrettyString(this).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + modelDir.resolve(FILE), e);
        }
    }

    static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
