package dev.mlops.evaluate;

import dev.mlops.error.InvalidInputException;
import dev.mlops.model.ModelSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The labelled rows both models are scored on: features in the schema's order as {@code float}
 * (parsed to the nearest double, then rounded to float, as pandas' {@code read_csv} followed by
 * {@code astype("float32")}), the label as a class index (classification) or a number
 * (regression), and optional slice columns kept as strings.
 *
 * <p>Classification labels may be given as class names, or as numbers whose integer value is a
 * class name ({@code 1.0} for class {@code "1"}). Never as positions in the class list.
 */
public final class Holdout {
    /** More distinct values than this in a slice column is refused: it is an id, not a slice. */
    public static final int MAX_SLICE_VALUES = 1000;

    private final String source;
    private final ModelSchema schema;
    private final String labelColumn;
    private final float[][] features;
    private final int[] classIndexes;
    private final double[] targets;
    private final Map<String, SliceColumn> slices;

    /** How a slice column is stored: one code per row into {@code levels}. */
    record SliceColumn(List<String> levels, int[] codes) {
    }

    private Holdout(String source, ModelSchema schema, String labelColumn, float[][] features, int[] classIndexes,
                    double[] targets, Map<String, SliceColumn> slices) {
        this.source = source;
        this.schema = schema;
        this.labelColumn = labelColumn;
        this.features = features;
        this.classIndexes = classIndexes;
        this.targets = targets;
        this.slices = slices;
    }

    /**
     * How to read a holdout file.
     *
     * @param labelColumn  the label column, or null for the schema's label
     * @param sliceColumns columns kept as strings for per-slice metrics
     */
    public record Options(String labelColumn, List<String> sliceColumns) {
        public Options {
            sliceColumns = sliceColumns == null ? List.of() : List.copyOf(sliceColumns);
        }

        public static Options defaults() {
            return new Options(null, List.of());
        }

        public Options withLabelColumn(String value) {
            return new Options(value, sliceColumns);
        }

        public Options withSliceColumns(List<String> value) {
            return new Options(labelColumn, value);
        }
    }

    public static Holdout read(Path csv, ModelSchema schema) {
        return read(csv, schema, Options.defaults());
    }

    public static Holdout read(Path csv, ModelSchema schema, Options options) {
        Objects.requireNonNull(schema, "schema");
        String file = csv.toString();
        String label = options.labelColumn() != null ? options.labelColumn() : schema.label();
        if (label == null || label.isBlank()) {
            throw new InvalidInputException("no label column for holdout " + file
                    + ": the model schema has no label; pass the label column name");
        }
        Map<String, Integer> classIndex = classIndex(schema);
        try (CsvScanner csvScanner = new CsvScanner(csv)) {
            if (!csvScanner.next()) {
                throw new InvalidInputException("holdout " + file + " is empty; expected a header row with columns "
                        + required(schema, label));
            }
            List<String> header = csvScanner.strings().stream().map(String::strip).toList();
            Map<String, Integer> position = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                if (position.putIfAbsent(header.get(i), i) != null) {
                    throw new InvalidInputException("holdout " + file + ": column '" + header.get(i)
                            + "' appears twice in the header; rename one of them");
                }
            }
            Integer labelAt = position.get(label);
            if (labelAt == null) {
                throw new InvalidInputException("holdout " + file + " has no label column '" + label + "'"
                        + (options.labelColumn() == null ? " (the model schema's label)" : "") + "; columns present: "
                        + header + "; pass the label column name if it differs");
            }
            List<String> missing = schema.features().stream().filter(f -> !position.containsKey(f)).toList();
            if (!missing.isEmpty()) {
                throw new InvalidInputException("holdout " + file + " is missing feature column" + (missing.size() == 1 ? " " : "s ")
                        + missing + " that the model schema requires; columns present: " + header
                        + "; add them or use the holdout the model was built for");
            }
            List<String> missingSlices = options.sliceColumns().stream().filter(s -> !position.containsKey(s)).toList();
            if (!missingSlices.isEmpty()) {
                throw new InvalidInputException("holdout " + file + " has no slice column" + (missingSlices.size() == 1 ? " " : "s ")
                        + missingSlices + "; columns present: " + header + "; slice by columns of the holdout");
            }
            int f = schema.features().size();
            int[] featureAt = new int[f];
            for (int j = 0; j < f; j++) {
                featureAt[j] = position.get(schema.features().get(j));
            }
            int s = options.sliceColumns().size();
            int[] sliceAt = new int[s];
            List<Map<String, Integer>> levelIndex = new ArrayList<>();
            List<List<String>> levels = new ArrayList<>();
            for (int j = 0; j < s; j++) {
                sliceAt[j] = position.get(options.sliceColumns().get(j));
                levelIndex.add(new HashMap<>());
                levels.add(new ArrayList<>());
            }
            boolean classification = schema.isClassification();
            List<float[]> rows = new ArrayList<>();
            int[] classes = new int[classification ? 1024 : 0];
            double[] targets = new double[classification ? 0 : 1024];
            int[][] codes = new int[s][1024];
            int n = 0;
            while (csvScanner.next()) {
                if (csvScanner.fieldCount() != header.size()) {
                    throw new InvalidInputException(file + " line " + csvScanner.line() + ": " + csvScanner.fieldCount()
                            + " fields but the header has " + header.size() + "; quote values that contain commas");
                }
                float[] row = new float[f];
                for (int j = 0; j < f; j++) {
                    row[j] = (float) number(csvScanner, featureAt[j], schema.features().get(j), "feature");
                }
                if (n == (classification ? classes.length : targets.length)) {
                    int grown = n * 2;
                    if (classification) {
                        classes = Arrays.copyOf(classes, grown);
                    } else {
                        targets = Arrays.copyOf(targets, grown);
                    }
                    for (int j = 0; j < s; j++) {
                        codes[j] = Arrays.copyOf(codes[j], grown);
                    }
                }
                if (classification) {
                    classes[n] = classOf(csvScanner, labelAt, label, classIndex, schema);
                } else {
                    targets[n] = number(csvScanner, labelAt, label, "label");
                }
                for (int j = 0; j < s; j++) {
                    String value = csvScanner.string(sliceAt[j]).strip();
                    Map<String, Integer> index = levelIndex.get(j);
                    Integer code = index.get(value);
                    if (code == null) {
                        if (index.size() == MAX_SLICE_VALUES) {
                            throw new InvalidInputException("holdout " + file + " slice column '" + options.sliceColumns().get(j)
                                    + "' has more than " + MAX_SLICE_VALUES + " distinct values; slice by a column with fewer values");
                        }
                        code = index.size();
                        index.put(value, code);
                        levels.get(j).add(value);
                    }
                    codes[j][n] = code;
                }
                rows.add(row);
                n++;
            }
            if (n == 0) {
                throw new InvalidInputException("holdout " + file + " has a header but no data rows; add rows to evaluate on");
            }
            Map<String, SliceColumn> sliceMap = new LinkedHashMap<>();
            for (int j = 0; j < s; j++) {
                sliceMap.put(options.sliceColumns().get(j), new SliceColumn(List.copyOf(levels.get(j)), Arrays.copyOf(codes[j], n)));
            }
            return new Holdout(file, schema, label, rows.toArray(new float[0][]),
                    classification ? Arrays.copyOf(classes, n) : null, classification ? null : Arrays.copyOf(targets, n), sliceMap);
        }
    }

    /** An in-memory classification holdout; {@code slices} maps column → one value per row. Arrays are copied. */
    public static Holdout ofClassification(ModelSchema schema, float[][] features, int[] classIndexes,
                                           Map<String, List<String>> slices) {
        if (!schema.isClassification()) {
            throw new InvalidInputException("schema task is " + schema.task() + "; use ofRegression");
        }
        classIndex(schema);
        check(schema, features, classIndexes.length);
        for (int c : classIndexes) {
            if (c < 0 || c >= schema.classes().size()) {
                throw new InvalidInputException("class index " + c + " is outside the schema's " + schema.classes().size() + " classes");
            }
        }
        return new Holdout("memory", schema, schema.label(), deepCopy(features), classIndexes.clone(), null, slices(slices, features.length));
    }

    /** An in-memory regression holdout; {@code slices} maps column → one value per row. Arrays are copied. */
    public static Holdout ofRegression(ModelSchema schema, float[][] features, double[] targets, Map<String, List<String>> slices) {
        if (schema.isClassification()) {
            throw new InvalidInputException("schema task is classification; use ofClassification");
        }
        check(schema, features, targets.length);
        return new Holdout("memory", schema, schema.label(), deepCopy(features), null, targets.clone(), slices(slices, features.length));
    }

    public String source() {
        return source;
    }

    public ModelSchema schema() {
        return schema;
    }

    public String labelColumn() {
        return labelColumn;
    }

    public int rows() {
        return features.length;
    }

    public List<String> sliceColumns() {
        return List.copyOf(slices.keySet());
    }

    public float feature(int row, int column) {
        return features[row][column];
    }

    /** Class index of a row's label (classification). */
    public int classIndex(int row) {
        return classIndexes[row];
    }

    /** Label value of a row (regression). */
    public double target(int row) {
        return targets[row];
    }

    public String sliceValue(String column, int row) {
        SliceColumn c = slices.get(column);
        return c.levels().get(c.codes()[row]);
    }

    float[][] features() {
        return features;
    }

    int[] classIndexes() {
        return classIndexes;
    }

    double[] targets() {
        return targets;
    }

    SliceColumn slice(String column) {
        return slices.get(column);
    }

    private static double number(CsvScanner csv, int field, String column, String role) {
        if (!csv.isBlank(field)) {
            try {
                double v = csv.number(field);
                if (Double.isFinite(v)) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw badNumber(csv, field, column, role);
    }

    private static InvalidInputException badNumber(CsvScanner csv, int field, String column, String role) {
        String where = csv.file() + " line " + csv.line() + " column '" + column + "': ";
        boolean feature = role.equals("feature");
        String fix = feature
                ? "every feature needs a finite number; impute missing values before evaluating"
                : "every label needs a finite number; drop unlabelled rows";
        String text = csv.string(field).strip();
        if (text.isEmpty()) {
            return new InvalidInputException(where + "empty value; " + fix);
        }
        double v;
        try {
            v = csv.number(field);
        } catch (NumberFormatException e) {
            return new InvalidInputException(where + "'" + text + "' is not a number; " + fix
                    + (feature ? " (encode categorical features as numbers)" : ""));
        }
        if (Double.isNaN(v)) {
            return new InvalidInputException(where + "NaN value; " + fix);
        }
        return new InvalidInputException(where + "infinite value '" + text + "'; " + fix);
    }

    private static int classOf(CsvScanner csv, int field, String column, Map<String, Integer> classIndex, ModelSchema schema) {
        String text = csv.string(field).strip();
        Integer c = classIndex.get(text);
        if (c == null && !text.isEmpty()) {
            try {
                double v = csv.number(field);
                if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                    c = classIndex.get(Long.toString((long) v));
                }
            } catch (NumberFormatException e) {
                c = null;
            }
        }
        if (c == null) {
            throw new InvalidInputException(csv.file() + " line " + csv.line() + " column '" + column + "': "
                    + (text.isEmpty() ? "empty label" : "unknown class '" + text + "'") + "; the model's classes are "
                    + schema.classes() + "; fix the label or evaluate with a model trained on these classes");
        }
        return c;
    }

    private static Map<String, Integer> classIndex(ModelSchema schema) {
        Map<String, Integer> index = new HashMap<>();
        if (schema.isClassification()) {
            if (schema.classes().size() < 2) {
                throw new InvalidInputException("model schema lists " + schema.classes().size()
                        + " classes; a classification schema needs at least 2 in \"classes\"");
            }
            for (int i = 0; i < schema.classes().size(); i++) {
                if (index.putIfAbsent(schema.classes().get(i), i) != null) {
                    throw new InvalidInputException("model schema lists class '" + schema.classes().get(i) + "' twice; fix \"classes\"");
                }
            }
        }
        return index;
    }

    private static String required(ModelSchema schema, String label) {
        List<String> cols = new ArrayList<>(schema.features());
        cols.add(label);
        return cols.toString();
    }

    private static void check(ModelSchema schema, float[][] features, int labels) {
        if (features.length != labels) {
            throw new InvalidInputException(features.length + " feature rows but " + labels + " labels");
        }
        if (features.length == 0) {
            throw new InvalidInputException("holdout has no rows");
        }
        for (float[] row : features) {
            if (row.length != schema.features().size()) {
                throw new InvalidInputException("feature row has " + row.length + " values; schema has "
                        + schema.features().size() + " features");
            }
        }
    }

    private static float[][] deepCopy(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
        }
        return out;
    }

    private static Map<String, SliceColumn> slices(Map<String, List<String>> slices, int rows) {
        Map<String, SliceColumn> out = new LinkedHashMap<>();
        if (slices == null) {
            return out;
        }
        for (Map.Entry<String, List<String>> e : slices.entrySet()) {
            if (e.getValue().size() != rows) {
                throw new InvalidInputException("slice column '" + e.getKey() + "' has " + e.getValue().size()
                        + " values for " + rows + " rows");
            }
            Map<String, Integer> index = new HashMap<>();
            List<String> levels = new ArrayList<>();
            int[] codes = new int[rows];
            for (int i = 0; i < rows; i++) {
                String v = e.getValue().get(i);
                Integer code = index.get(v);
                if (code == null) {
                    code = index.size();
                    index.put(v, code);
                    levels.add(v);
                }
                codes[i] = code;
            }
            if (levels.size() > MAX_SLICE_VALUES) {
                throw new InvalidInputException("slice column '" + e.getKey() + "' has more than " + MAX_SLICE_VALUES
                        + " distinct values; slice by a column with fewer values");
            }
            out.put(e.getKey(), new SliceColumn(List.copyOf(levels), codes));
        }
        return out;
    }
}
