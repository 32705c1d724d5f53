package dev.mlops.drift;

import dev.mlops.error.InvalidInputException;
import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes a {@link ReferenceProfile} from a CSV file in one streaming pass (the first
 * {@value #TYPE_ROWS} rows are read once more beforehand to tell numeric from categorical columns).
 * Memory is bounded by the profile: per column a reservoir, a few counters and capped value tables.
 */
public final class ReferenceProfiler {
    static final int MAX_DISCRETE = 20;
    static final int TYPE_ROWS = 1000;
    static final int PREDICT_BATCH = 4096;

    /**
     * @param features     the feature columns in the model's input order; empty = every column but {@code label}
     * @param label        a column to leave out (the training label); may be null
     * @param categorical  columns to treat as categorical even when their values are numbers
     * @param sampleSize   reservoir capacity per numeric column (KS and Wasserstein work from it)
     * @param topK         categories kept per categorical column; the rest form "other"
     */
    public record Options(List<String> features, String label, Set<String> categorical, int sampleSize, int topK, long seed) {
        public static final int DEFAULT_SAMPLE = 5000;
        public static final int DEFAULT_TOP_K = 50;
        public static final long DEFAULT_SEED = 42;

        public Options {
            features = features == null ? List.of() : List.copyOf(features);
            categorical = categorical == null ? Set.of() : Set.copyOf(categorical);
            if (sampleSize < 1) {
                throw new InvalidInputException("sample_size: " + sampleSize + " must be at least 1; the default is " + DEFAULT_SAMPLE);
            }
            if (topK < 1) {
                throw new InvalidInputException("top_k: " + topK + " must be at least 1; the default is " + DEFAULT_TOP_K);
            }
        }

        public static Options defaults() {
            return new Options(List.of(), null, Set.of(), DEFAULT_SAMPLE, DEFAULT_TOP_K, DEFAULT_SEED);
        }

        /** The features and label of a model schema. */
        public static Options of(ModelSchema schema) {
            return new Options(schema.features(), schema.label(), Set.of(), DEFAULT_SAMPLE, DEFAULT_TOP_K, DEFAULT_SEED);
        }
    }

    private ReferenceProfiler() {
    }

    /** Profiles {@code csv}; with a {@code predictor} (may be null) its predictions on the same rows are profiled too. */
    public static ReferenceProfile profile(Path csv, Options options, Predictor predictor, Instant now) {
        List<String> header;
        boolean[] numeric;
        try (DriftCsvReader reader = new DriftCsvReader(csv)) {
            if (!reader.next()) {
                throw new InvalidInputException("reference data: " + csv + " is empty; pass the training CSV with a header row");
            }
            header = reader.strings();
            numeric = new boolean[header.size()];
            java.util.Arrays.fill(numeric, true);
            boolean[] seen = new boolean[header.size()];
            for (int row = 0; row < TYPE_ROWS && reader.next(); row++) {
                for (int c = 0; c < Math.min(reader.fields(), header.size()); c++) {
                    byte[] b = reader.bytes();
                    if (Cells.isMissing(b, reader.start(c), reader.end(c))) {
                        continue;
                    }
                    seen[c] = true;
                    if (numeric[c] && Double.isNaN(Cells.number(b, reader.start(c), reader.end(c)))) {
                        numeric[c] = false;
                    }
                }
            }
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            index.putIfAbsent(header.get(i).trim(), i);
        }
        List<String> features = new ArrayList<>(options.features());
        if (features.isEmpty()) {
            for (String column : header) {
                if (!column.trim().equals(options.label())) {
                    features.add(column.trim());
                }
            }
        }
        Set<String> unique = new HashSet<>();
        int[] columns = new int[features.size()];
        for (int f = 0; f < features.size(); f++) {
            Integer column = index.get(features.get(f));
            if (column == null) {
                throw new InvalidInputException("reference data: " + csv + " has no column '" + features.get(f) + "' (columns: "
                        + String.join(", ", header) + "); pass the training data the model was trained on");
            }
            if (!unique.add(features.get(f))) {
                throw new InvalidInputException("features: '" + features.get(f) + "' is listed twice; list each feature once");
            }
            columns[f] = column;
        }
        NumericReference[] numbers = new NumericReference[features.size()];
        CategoricalReference[] categories = new CategoricalReference[features.size()];
        for (int f = 0; f < features.size(); f++) {
            if (numeric[columns[f]] && !options.categorical().contains(features.get(f))) {
                numbers[f] = new NumericReference(features.get(f), options.sampleSize(), options.seed() + f);
            } else {
                categories[f] = new CategoricalReference(features.get(f), options.topK());
            }
        }
        Scorer scorer = predictor == null ? null : Scorer.of(predictor, features, numbers, options);
        long rows = 0;
        try (DriftCsvReader reader = new DriftCsvReader(csv)) {
            reader.next();
            while (reader.next()) {
                rows++;
                byte[] b = reader.bytes();
                int fields = reader.fields();
                for (int f = 0; f < columns.length; f++) {
                    int c = columns[f];
                    if (c >= fields) {
                        if (numbers[f] != null) {
                            numbers[f].missing();
                        } else {
                            categories[f].missing();
                        }
                        if (scorer != null) {
                            scorer.value(f, Double.NaN);
                        }
                        continue;
                    }
                    int s = reader.start(c);
                    int e = reader.end(c);
                    if (numbers[f] != null) {
                        double v = Cells.number(b, s, e);
                        if (v == v) {
                            numbers[f].add(v);
                        } else if (Cells.isMissing(b, s, e)) {
                            numbers[f].missing();
                        } else {
                            numbers[f].invalid();
                        }
                        if (scorer != null) {
                            scorer.value(f, v);
                        }
                    } else if (Cells.isMissing(b, s, e)) {
                        categories[f].missing();
                    } else {
                        categories[f].add(b, s, e);
                    }
                }
                if (scorer != null) {
                    scorer.endRow();
                }
            }
        }
        List<ColumnProfile> profiles = new ArrayList<>(features.size());
        for (int f = 0; f < features.size(); f++) {
            profiles.add(numbers[f] != null ? numbers[f].finish() : categories[f].finish());
        }
        ColumnProfile prediction = scorer == null ? null : scorer.finish();
        return new ReferenceProfile(ReferenceProfile.SCHEMA, csv.getFileName().toString(), rows, options.seed(), options.sampleSize(),
                now, profiles, prediction,
                scorer != null && predictor.schema().isClassification() ? predictor.schema().classes() : null);
    }

    /** Scores rows in batches and profiles the predictions: the predicted class, or the regression value. */
    private static final class Scorer {
        private final Predictor predictor;
        private final float[][] batch;
        private final boolean[] complete;
        private int size;
        private final NumericReference numeric;
        private final CategoricalReference classes;

        private Scorer(Predictor predictor, int width, Options options) {
            this.predictor = predictor;
            this.batch = new float[PREDICT_BATCH][width];
            this.complete = new boolean[PREDICT_BATCH];
            java.util.Arrays.fill(complete, true);
            if (predictor.schema().isClassification()) {
                numeric = null;
                classes = new CategoricalReference(DriftReport.PREDICTION, Math.max(options.topK(), predictor.schema().classes().size()));
            } else {
                numeric = new NumericReference(DriftReport.PREDICTION, options.sampleSize(), options.seed() - 1);
                classes = null;
            }
        }

        /** A scorer when the model takes exactly these numeric features in this order; otherwise null (no prediction profile). */
        static Scorer of(Predictor predictor, List<String> features, NumericReference[] numbers, Options options) {
            if (!predictor.schema().features().equals(features)) {
                return null;
            }
            for (NumericReference n : numbers) {
                if (n == null) {
                    return null;
                }
            }
            return new Scorer(predictor, features.size(), options);
        }

        void value(int feature, double v) {
            if (v != v) {
                complete[size] = false;
            }
            batch[size][feature] = (float) v;
        }

        void endRow() {
            if (++size == PREDICT_BATCH) {
                flush();
            }
        }

        private void flush() {
            if (size == 0) {
                return;
            }
            float[][] rows = size == PREDICT_BATCH ? batch : java.util.Arrays.copyOf(batch, size);
            double[][] out = predictor.predict(rows);
            List<String> labels = predictor.schema().classes();
            for (int i = 0; i < size; i++) {
                if (!complete[i]) {
                    if (numeric != null) {
                        numeric.missing();
                    } else {
                        classes.missing();
                    }
                    complete[i] = true;
                    continue;
                }
                if (numeric != null) {
                    numeric.add(out[i][0]);
                } else {
                    classes.add(labels.get(argmax(out[i])));
                }
            }
            size = 0;
        }

        ColumnProfile finish() {
            flush();
            return numeric != null ? numeric.finish() : classes.finish();
        }
    }

    static int argmax(double[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }
}
