package dev.mlops.evaluate;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one evaluation found, schema {@value #SCHEMA}: what {@code mlops evaluate --json}
 * prints and the Jenkins step returns. Fields are only ever added within a schema version.
 * Undefined values (an AUC on a slice with one class) are null.
 *
 * @param schema        always {@value #SCHEMA}
 * @param generatedAt   when the evaluation ran
 * @param task          classification or regression
 * @param classes       class labels in schema order (empty for regression)
 * @param positiveClass the class scored as positive for binary ROC (null otherwise)
 * @param rows          holdout rows, all scored by both models
 * @param holdout       where the holdout came from
 * @param labelColumn   the label column used
 * @param candidate     the candidate's metrics
 * @param baseline      the baseline's metrics, null for a first model
 * @param comparisons   per metric: both values, the delta and its bootstrap interval (empty for a first model)
 * @param mcnemar       McNemar's test on accuracy (classification with a baseline), else null
 * @param sliceColumns  the columns sliced on
 * @param slices        metrics of both models per slice value
 * @param gate          the effective gate config, in the config file's syntax
 * @param verdict       the decision
 */
public record EvaluationReport(String schema, Instant generatedAt, String task, List<String> classes, String positiveClass,
                               int rows, String holdout, String labelColumn, ModelReport candidate, ModelReport baseline,
                               List<MetricComparison> comparisons, McNemarTest.Result mcnemar, List<String> sliceColumns,
                               List<SliceReport> slices, Map<String, Object> gate, Verdict verdict) {
    public static final String SCHEMA = "mlops.evaluation/v1";

    public EvaluationReport {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(verdict, "verdict");
        classes = List.copyOf(classes);
        comparisons = List.copyOf(comparisons);
        sliceColumns = List.copyOf(sliceColumns);
        slices = List.copyOf(slices);
        gate = gate == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(gate));
    }

    public boolean firstModel() {
        return baseline == null;
    }

    /** One model's results on the whole holdout. */
    public record ModelReport(String name, String source, Map<String, Double> metrics, List<ClassReport> perClass,
                              ConfusionMatrix confusionMatrix, List<RocCurve> rocCurves) {
        public ModelReport {
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
            perClass = perClass == null ? List.of() : List.copyOf(perClass);
            rocCurves = rocCurves == null ? List.of() : List.copyOf(rocCurves);
        }

        public Double metric(Metric metric) {
            return metrics.get(metric.id());
        }
    }

    /** Per-class precision, recall, F1 and support (rows of that class). */
    public record ClassReport(String label, double precision, double recall, double f1, long support) {
    }

    /** Rows are true classes, columns predicted classes, both in {@code classes} order. */
    public record ConfusionMatrix(List<String> classes, List<List<Long>> counts) {
        public ConfusionMatrix {
            classes = List.copyOf(classes);
            counts = counts.stream().map(List::copyOf).toList();
        }
    }

    /**
     * One metric of both models.
     *
     * @param delta          candidate − baseline
     * @param relativeChange (candidate − baseline) / |baseline| in the better direction, null when the baseline is 0
     * @param interval       bootstrap interval of the delta, null when not computed (ROC AUC when not gated)
     * @param gated          whether the gate has a rule for this metric
     */
    public record MetricComparison(Metric metric, Direction direction, Double candidate, Double baseline, Double delta,
                                   Double relativeChange, Interval interval, boolean gated) {
    }

    /**
     * A percentile bootstrap interval of candidate − baseline.
     *
     * @param lower              null when every resample was undefined
     * @param undefinedResamples resamples dropped because the metric was undefined on them
     */
    public record Interval(Double lower, Double upper, double level, int resamples, int undefinedResamples, long seed,
                           Double standardError, String method) {
        static Interval of(PairedBootstrap.Result r) {
            return new Interval(finite(r.lower()), finite(r.upper()), r.level(), r.resamples(), r.undefinedResamples(),
                    r.seed(), finite(r.standardError()), r.method());
        }
    }

    /** Both models on the rows where {@code column} equals {@code value}. */
    public record SliceReport(String column, String value, int rows, Map<String, Double> candidate,
                              Map<String, Double> baseline) {
        public SliceReport {
            candidate = Collections.unmodifiableMap(new LinkedHashMap<>(candidate));
            baseline = baseline == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(baseline));
        }
    }

    static Double finite(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
