package dev.mlops.evaluate;

import dev.mlops.error.InvalidInputException;
import dev.mlops.model.ModelSchema;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Precomputed predictions for a model the engine cannot load, row-aligned with the holdout
 * (row i of the file belongs to data row i of the holdout). Classification: one probability
 * column per class, named exactly as the schema's classes, in any order. Regression: a column
 * named {@value #PREDICTION}. Other columns (an id, say) are ignored.
 */
public final class PredictionFile {
    public static final String PREDICTION = "prediction";

    private PredictionFile() {
    }

    /**
     * @param schema       the holdout's schema (task and classes)
     * @param expectedRows the holdout's row count; any other count is an error
     */
    public static ModelScores read(Path csv, ModelSchema schema, int expectedRows) {
        String file = csv.toString();
        try (CsvScanner scanner = new CsvScanner(csv)) {
            if (!scanner.next()) {
                throw new InvalidInputException("prediction file " + file + " is empty; expected a header row with "
                        + expectedColumns(schema));
            }
            List<String> header = scanner.strings().stream().map(String::strip).toList();
            Map<String, Integer> position = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                position.putIfAbsent(header.get(i), i);
            }
            List<String> wanted = schema.isClassification() ? schema.classes() : List.of(PREDICTION);
            List<String> missing = wanted.stream().filter(c -> !position.containsKey(c)).toList();
            if (!missing.isEmpty()) {
                throw new InvalidInputException("prediction file " + file + " is missing column" + (missing.size() == 1 ? " " : "s ")
                        + missing + "; columns present: " + header + "; it needs " + expectedColumns(schema));
            }
            int k = wanted.size();
            int[] at = new int[k];
            for (int j = 0; j < k; j++) {
                at[j] = position.get(wanted.get(j));
            }
            double[] values = new double[Math.max(1, Math.min(expectedRows, 1 << 24)) * k];
            int n = 0;
            while (scanner.next()) {
                if (scanner.fieldCount() != header.size()) {
                    throw new InvalidInputException(file + " line " + scanner.line() + ": " + scanner.fieldCount()
                            + " fields but the header has " + header.size() + "; quote values that contain commas");
                }
                if ((n + 1) * k > values.length) {
                    values = Arrays.copyOf(values, values.length * 2);
                }
                for (int j = 0; j < k; j++) {
                    values[n * k + j] = value(scanner, at[j], wanted.get(j), schema.isClassification());
                }
                n++;
            }
            if (n != expectedRows) {
                throw new InvalidInputException("prediction file " + file + " has " + n + " rows but the holdout has "
                        + expectedRows + "; predictions must be row-aligned with the holdout (one row per holdout row, same order)");
            }
            values = Arrays.copyOf(values, n * k);
            return schema.isClassification() ? ModelScores.ofClassification(values, k) : ModelScores.ofRegression(values);
        }
    }

    private static double value(CsvScanner scanner, int field, String column, boolean probability) {
        String problem = null;
        double v = Double.NaN;
        if (scanner.isBlank(field)) {
            problem = "empty value";
        } else {
            try {
                v = scanner.number(field);
                if (Double.isNaN(v)) {
                    problem = "NaN value";
                } else if (Double.isInfinite(v)) {
                    problem = "infinite value";
                } else if (probability && (v < 0 || v > 1)) {
                    problem = "probability " + v + " outside [0, 1]";
                }
            } catch (NumberFormatException e) {
                problem = "'" + scanner.string(field).strip() + "' is not a number";
            }
        }
        if (problem != null) {
            throw new InvalidInputException(scanner.file() + " line " + scanner.line() + " column '" + column + "': " + problem
                    + (probability ? "; each class column needs the predicted probability of that class"
                    : "; the prediction column needs a finite number"));
        }
        return v;
    }

    private static String expectedColumns(ModelSchema schema) {
        return schema.isClassification()
                ? "one probability column per class named " + schema.classes()
                : "a column named '" + PREDICTION + "'";
    }
}
