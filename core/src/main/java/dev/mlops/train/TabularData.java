package dev.mlops.train;

import dev.mlops.error.InvalidInputException;
import dev.mlops.model.ModelSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CSV turned into a feature matrix and a label vector. Classification labels become class
 * indexes (classes sorted numerically when all numeric, else as text).
 */
record TabularData(List<String> features, String label, String task, List<String> classes, float[][] x, float[] y) {
    /** A numeric label with at most this many distinct whole values is taken as classes under task=auto. */
    static final int MAX_AUTO_CLASSES = 20;

    /** Checks that the label and feature columns exist, from the header alone. */
    static void checkColumns(Path file, List<String> header, MlpSettings settings) {
        String name = file.getFileName().toString();
        if (settings.label() != null && !header.contains(settings.label())) {
            throw new InvalidInputException("label: column '" + settings.label() + "' is not in " + name + " (columns: "
                    + String.join(", ", header) + "); pass --label COLUMN");
        }
        for (String feature : settings.features()) {
            if (!header.contains(feature)) {
                throw new InvalidInputException("features: column '" + feature + "' is not in " + name + " (columns: "
                        + String.join(", ", header) + "); fix --features");
            }
        }
    }

    static TabularData of(CsvTable table, MlpSettings settings) {
        String file = table.file().getFileName().toString();
        String label = settings.label();
        if (label == null) {
            label = table.column("label") >= 0 ? "label" : table.header().get(table.header().size() - 1);
        }
        int labelColumn = table.column(label);
        if (labelColumn < 0) {
            throw new InvalidInputException("label: column '" + label + "' is not in " + file + " (columns: "
                    + String.join(", ", table.header()) + "); pass --label COLUMN");
        }
        List<String> features = settings.features();
        if (features.isEmpty()) {
            features = new ArrayList<>();
            for (int c = 0; c < table.header().size(); c++) {
                if (c != labelColumn && table.isNumeric(c)) {
                    features.add(table.header().get(c));
                }
            }
            if (features.isEmpty()) {
                throw new InvalidInputException("features: " + file + " has no numeric column besides the label '" + label
                        + "'; pass --features a,b,c with numeric columns");
            }
        }
        int[] columns = new int[features.size()];
        for (int f = 0; f < columns.length; f++) {
            columns[f] = table.column(features.get(f));
            if (columns[f] < 0) {
                throw new InvalidInputException("features: column '" + features.get(f) + "' is not in " + file + " (columns: "
                        + String.join(", ", table.header()) + "); fix --features");
            }
            if (columns[f] == labelColumn) {
                throw new InvalidInputException("features: '" + label + "' is the label; leave it out of --features");
            }
        }
        float[][] x = new float[table.size()][columns.length];
        for (int r = 0; r < table.size(); r++) {
            for (int f = 0; f < columns.length; f++) {
                Double value = CsvTable.parse(table.value(r, columns[f]));
                if (value == null) {
                    throw new InvalidInputException("data: " + file + " row " + (r + 1) + " column '" + features.get(f) + "' is '"
                            + table.value(r, columns[f]) + "', not a number; clean the data or leave the column out of --features");
                }
                x[r][f] = value.floatValue();
            }
        }
        String task = settings.task().equals("auto") ? detectTask(table, labelColumn) : settings.task();
        float[] y = new float[table.size()];
        List<String> classes = List.of();
        if (task.equals(ModelSchema.CLASSIFICATION)) {
            classes = classes(table, labelColumn);
            if (classes.size() < 2) {
                throw new InvalidInputException("label: column '" + label + "' has a single value " + classes
                        + "; classification needs at least two classes");
            }
            Map<String, Integer> index = new HashMap<>();
            for (int c = 0; c < classes.size(); c++) {
                index.put(classes.get(c), c);
            }
            for (int r = 0; r < table.size(); r++) {
                y[r] = index.get(table.value(r, labelColumn));
            }
        } else {
            for (int r = 0; r < table.size(); r++) {
                Double value = CsvTable.parse(table.value(r, labelColumn));
                if (value == null) {
                    throw new InvalidInputException("label: " + file + " row " + (r + 1) + " has '" + table.value(r, labelColumn)
                            + "', not a number; regression needs a numeric label (or pass --param task=classification)");
                }
                y[r] = value.floatValue();
            }
        }
        return new TabularData(List.copyOf(features), label, task, classes, x, y);
    }

    private static String detectTask(CsvTable table, int labelColumn) {
        Set<String> distinct = new LinkedHashSet<>();
        for (int r = 0; r < table.size(); r++) {
            String value = table.value(r, labelColumn);
            Double number = CsvTable.parse(value);
            if (number == null) {
                return ModelSchema.CLASSIFICATION;
            }
            if (number != Math.rint(number)) {
                return ModelSchema.REGRESSION;
            }
            distinct.add(value);
        }
        return distinct.size() <= MAX_AUTO_CLASSES ? ModelSchema.CLASSIFICATION : ModelSchema.REGRESSION;
    }

    private static List<String> classes(CsvTable table, int labelColumn) {
        Set<String> distinct = new LinkedHashSet<>();
        boolean numeric = true;
        for (int r = 0; r < table.size(); r++) {
            String value = table.value(r, labelColumn);
            distinct.add(value);
            numeric &= CsvTable.parse(value) != null;
        }
        Comparator<String> order = numeric ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder();
        return distinct.stream().sorted(order).toList();
    }

    boolean isClassification() {
        return task.equals(ModelSchema.CLASSIFICATION);
    }
}
