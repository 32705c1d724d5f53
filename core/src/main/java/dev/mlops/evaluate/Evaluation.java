package dev.mlops.evaluate;

import dev.mlops.error.InvalidInputException;
import dev.mlops.evaluate.EvaluationReport.ClassReport;
import dev.mlops.evaluate.EvaluationReport.ConfusionMatrix;
import dev.mlops.evaluate.EvaluationReport.Interval;
import dev.mlops.evaluate.EvaluationReport.MetricComparison;
import dev.mlops.evaluate.EvaluationReport.ModelReport;
import dev.mlops.evaluate.EvaluationReport.SliceReport;
import dev.mlops.model.ModelSchema;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The "evaluate against production" use case: score the candidate and the baseline on the same
 * holdout rows, measure every metric of the task for both, bootstrap the paired deltas, run
 * McNemar on accuracy, slice, and let the {@link Gate} decide.
 *
 * <p>Bootstrap intervals are computed for every gated metric and for every other metric except
 * ROC AUC (which costs a pass over all rows per resample; it is bootstrapped when gated).
 */
public final class Evaluation {
    private final Clock clock;

    public Evaluation(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static Evaluation withDefaults() {
        return new Evaluation(Clock.systemUTC());
    }

    public EvaluationReport run(EvaluationRequest request) {
        Holdout holdout = request.holdout();
        ModelSchema schema = holdout.schema();
        GateConfig gate = request.gate();
        checkGateFitsHoldout(gate, holdout, request.sliceColumns());
        checkModelsMatch(request.candidate(), request.baseline());

        ModelScores candidate = score("candidate", request.candidate(), request);
        ModelScores baseline = request.baseline() == null ? null : score("baseline", request.baseline(), request);

        ModelReport candidateReport = modelReport(request.candidate(), holdout, candidate);
        ModelReport baselineReport = baseline == null ? null : modelReport(request.baseline(), holdout, baseline);

        Map<Metric, MetricComparison> comparisons = new EnumMap<>(Metric.class);
        McNemarTest.Result mcnemar = null;
        if (baseline != null) {
            Set<Metric> gated = gate.metrics().stream().map(MetricGate::metric).collect(Collectors.toSet());
            PairedBootstrap bootstrap = PairedBootstrap.withDefaults().withResamples(gate.resamples())
                    .withConfidenceLevel(gate.confidenceLevel()).withSeed(gate.seed()).withParallelism(request.parallelism());
            for (Metric metric : Metric.forTask(schema.task())) {
                Direction direction = gated.contains(metric) ? ruleFor(gate, metric).direction() : metric.direction();
                comparisons.put(metric, compare(metric, direction, gated.contains(metric), holdout, candidate, baseline,
                        candidateReport, baselineReport, bootstrap));
            }
            if (schema.isClassification()) {
                mcnemar = McNemarTest.withDefaults().test(holdout.classIndexes(), candidate.predicted(), baseline.predicted());
            }
        }
        List<SliceReport> slices = slices(holdout, request.sliceColumns(), candidate, baseline);
        Verdict verdict = Gate.decide(gate, baseline != null, comparisons, slices);
        return new EvaluationReport(EvaluationReport.SCHEMA, clock.instant(), schema.task(), schema.classes(),
                schema.isClassification() && schema.classes().size() == 2 ? schema.classes().get(1) : null,
                holdout.rows(), holdout.source(), holdout.labelColumn(), candidateReport, baselineReport,
                List.copyOf(comparisons.values()), mcnemar, request.sliceColumns(), slices, gate.toDocument(), verdict);
    }

    private static MetricGate ruleFor(GateConfig gate, Metric metric) {
        return gate.metrics().stream().filter(m -> m.metric() == metric).findFirst().orElseThrow();
    }

    private static void checkGateFitsHoldout(GateConfig gate, Holdout holdout, List<String> sliceColumns) {
        String task = holdout.schema().task();
        List<String> problems = new ArrayList<>();
        String fits = Metric.forTask(task).stream().map(Metric::id).collect(Collectors.joining(", "));
        for (int i = 0; i < gate.metrics().size(); i++) {
            Metric m = gate.metrics().get(i).metric();
            if (!m.appliesTo(task)) {
                problems.add("gate.metrics[" + i + "].name: " + m.id() + " does not apply to a " + task + " model; use one of " + fits);
            }
        }
        if (gate.sliceGate() != null) {
            SliceGate s = gate.sliceGate();
            if (!s.metric().appliesTo(task)) {
                problems.add("gate.slice_gate.metric: " + s.metric().id() + " does not apply to a " + task + " model; use one of " + fits);
            }
            for (int i = 0; i < s.columns().size(); i++) {
                if (!sliceColumns.contains(s.columns().get(i))) {
                    problems.add("gate.slice_gate.columns[" + i + "]: '" + s.columns().get(i) + "' is not a slice column of this "
                            + "evaluation " + sliceColumns + "; add it to the slice columns");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new GateConfigException("for holdout " + holdout.source(), problems);
        }
        List<String> unknown = sliceColumns.stream().filter(c -> !holdout.sliceColumns().contains(c)).toList();
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("slice columns " + unknown + " were not read from holdout " + holdout.source()
                    + " (read: " + holdout.sliceColumns() + "); pass them as slice columns when reading the holdout");
        }
    }

    private static void checkModelsMatch(ModelInput candidate, ModelInput baseline) {
        if (candidate instanceof ModelInput.Loaded c && baseline instanceof ModelInput.Loaded b) {
            Scoring.checkCompatible("candidate", c.name(), c.predictor().schema(), "baseline", b.name(), b.predictor().schema());
        }
    }

    private static ModelScores score(String role, ModelInput input, EvaluationRequest request) {
        Holdout holdout = request.holdout();
        if (input instanceof ModelInput.Loaded loaded) {
            return Scoring.score(role, loaded, holdout, request.batchSize(), request.parallelism());
        }
        ModelInput.Precomputed file = (ModelInput.Precomputed) input;
        return PredictionFile.read(file.file(), holdout.schema(), holdout.rows());
    }

    private static ModelReport modelReport(ModelInput input, Holdout holdout, ModelScores scores) {
        ModelSchema schema = holdout.schema();
        if (!schema.isClassification()) {
            return new ModelReport(input.name(), input.source(), Metrics.regression(holdout.targets(), scores), null, null, null);
        }
        int[] truth = holdout.classIndexes();
        int k = scores.classes();
        long[][] cm = ClassificationMetrics.confusionMatrix(truth, scores.predicted(), k);
        ClassificationMetrics.PerClass perClass = ClassificationMetrics.perClass(cm);
        List<ClassReport> classes = new ArrayList<>();
        List<List<Long>> counts = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            classes.add(new ClassReport(schema.classes().get(c), perClass.precision()[c], perClass.recall()[c], perClass.f1()[c],
                    (long) perClass.support()[c]));
            List<Long> row = new ArrayList<>();
            for (long v : cm[c]) {
                row.add(v);
            }
            counts.add(row);
        }
        List<RocCurve> curves = new ArrayList<>();
        if (k == 2) {
            curves.add(RocCurve.of(truth, scores.probabilities(), k, 1, schema.classes().get(1)));
        } else {
            for (int c = 0; c < k; c++) {
                curves.add(RocCurve.of(truth, scores.probabilities(), k, c, schema.classes().get(c)));
            }
        }
        return new ModelReport(input.name(), input.source(), Metrics.classification(truth, scores), classes,
                new ConfusionMatrix(schema.classes(), counts), curves);
    }

    private static MetricComparison compare(Metric metric, Direction direction, boolean gated, Holdout holdout,
                                            ModelScores candidate, ModelScores baseline, ModelReport candidateReport,
                                            ModelReport baselineReport, PairedBootstrap bootstrap) {
        Double c = candidateReport.metric(metric);
        Double b = baselineReport.metric(metric);
        Double delta = c == null || b == null ? null : c - b;
        Double relative = delta == null || b == 0 ? null : direction.improvement(delta) / Math.abs(b);
        Interval interval = null;
        if (delta != null && (gated || !metric.expensiveToBootstrap())) {
            BootstrapStatistic statistic = holdout.schema().isClassification()
                    ? PairedStatistics.delta(metric, holdout.classIndexes(), candidate, baseline)
                    : PairedStatistics.delta(metric, holdout.targets(), candidate, baseline);
            interval = Interval.of(bootstrap.interval(statistic));
        }
        return new MetricComparison(metric, direction, c, b, delta, relative, interval, gated);
    }

    private static List<SliceReport> slices(Holdout holdout, List<String> columns, ModelScores candidate, ModelScores baseline) {
        List<SliceReport> out = new ArrayList<>();
        boolean classification = holdout.schema().isClassification();
        for (String column : columns) {
            Holdout.SliceColumn slice = holdout.slice(column);
            int levels = slice.levels().size();
            int[] sizes = new int[levels];
            for (int code : slice.codes()) {
                sizes[code]++;
            }
            int[][] rows = new int[levels][];
            for (int l = 0; l < levels; l++) {
                rows[l] = new int[sizes[l]];
            }
            int[] fill = new int[levels];
            int[] codes = slice.codes();
            for (int i = 0; i < codes.length; i++) {
                rows[codes[i]][fill[codes[i]]++] = i;
            }
            List<Integer> order = new ArrayList<>();
            for (int l = 0; l < levels; l++) {
                order.add(l);
            }
            order.sort(Comparator.comparing(l -> slice.levels().get(l)));
            for (int l : order) {
                int[] idx = rows[l];
                Map<String, Double> c;
                Map<String, Double> b = null;
                if (classification) {
                    int[] truth = subset(holdout.classIndexes(), idx);
                    c = Metrics.classification(truth, candidate.subset(idx));
                    if (baseline != null) {
                        b = Metrics.classification(truth, baseline.subset(idx));
                    }
                } else {
                    double[] truth = subset(holdout.targets(), idx);
                    c = Metrics.regression(truth, candidate.subset(idx));
                    if (baseline != null) {
                        b = Metrics.regression(truth, baseline.subset(idx));
                    }
                }
                out.add(new SliceReport(column, slice.levels().get(l), idx.length, c, b));
            }
        }
        return out;
    }

    private static int[] subset(int[] values, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = values[idx[i]];
        }
        return out;
    }

    private static double[] subset(double[] values, int[] idx) {
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = values[idx[i]];
        }
        return out;
    }
}
