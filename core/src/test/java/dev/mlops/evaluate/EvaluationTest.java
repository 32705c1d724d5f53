package dev.mlops.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.InvalidInputException;
import dev.mlops.evaluate.EvaluationReport.MetricComparison;
import dev.mlops.evaluate.EvaluationReport.SliceReport;
import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {
    static final Evaluation EVALUATION = new Evaluation(Clock.fixed(Instant.parse("2024-06-01T12:00:00Z"), ZoneOffset.UTC));
    static final Holdout HOLDOUT = Fixtures.binaryHoldout(20_000, 1);
    static final Predictor GOOD = Fixtures.logistic(1, 0.8);
    static final Predictor WEAK = Fixtures.logistic(1, 0);
    static final GateConfig GATE = GateConfig.of(List.of(MetricGate.superiority(Metric.ACCURACY), MetricGate.superiority(Metric.LOG_LOSS)))
            .withResamples(300);

    static EvaluationReport run(Predictor candidate, Predictor baseline, GateConfig gate) {
        EvaluationRequest.Builder b = EvaluationRequest.builder().setHoldout(HOLDOUT).setCandidate(ModelInput.of("cand", candidate))
                .optGate(gate);
        if (baseline != null) {
            b.optBaseline(ModelInput.of("prod", baseline));
        }
        return EVALUATION.run(b.build());
    }

    static MetricComparison comparison(EvaluationReport r, Metric metric) {
        return r.comparisons().stream().filter(c -> c.metric() == metric).findFirst().orElseThrow();
    }

    @Test
    void aBetterCandidatePassesWithEverythingReported() {
        EvaluationReport r = run(GOOD, WEAK, GATE);
        assertEquals(Outcome.PASS, r.verdict().outcome(), r.verdict().reason());
        assertEquals(EvaluationReport.SCHEMA, r.schema());
        assertEquals(20_000, r.rows());
        assertEquals("pos", r.positiveClass());
        assertEquals(6, r.comparisons().size());
        MetricComparison accuracy = comparison(r, Metric.ACCURACY);
        assertTrue(accuracy.delta() > 0.03, "delta " + accuracy.delta());
        assertTrue(accuracy.interval().lower() > 0);
        assertTrue(accuracy.gated());
        assertNotNull(comparison(r, Metric.F1_MACRO).interval(), "cheap metrics get intervals even when not gated");
        assertNull(comparison(r, Metric.ROC_AUC).interval(), "ROC AUC is bootstrapped only when gated");
        assertTrue(r.mcnemar().pValue() < 1e-6);
        assertTrue(r.mcnemar().candidateOnlyCorrect() > r.mcnemar().baselineOnlyCorrect());
        assertEquals(McNemarTest.Method.CHI_SQUARE_CONTINUITY, r.mcnemar().method());
        assertEquals(4 + 2 + 2, r.slices().size());
        for (EvaluationReport.ModelReport m : List.of(r.candidate(), r.baseline())) {
            assertEquals(1, m.rocCurves().size());
            assertTrue(m.rocCurves().get(0).points().size() <= RocCurve.MAX_POINTS);
            long total = m.confusionMatrix().counts().stream().flatMap(List::stream).mapToLong(Long::longValue).sum();
            assertEquals(20_000, total);
            assertEquals(2, m.perClass().size());
        }
        int northRows = r.slices().stream().filter(s -> s.column().equals("region") && s.value().equals("north"))
                .mapToInt(SliceReport::rows).sum();
        assertEquals(5000, northRows);
    }

    @Test
    void aWorseCandidateFails() {
        EvaluationReport r = run(WEAK, GOOD, GATE);
        assertEquals(Outcome.FAIL, r.verdict().outcome());
        assertTrue(r.verdict().reason().startsWith("FAIL: accuracy"), r.verdict().reason());
    }

    @Test
    void anIdenticalCandidateIsInconclusiveNotPass() {
        EvaluationReport r = run(GOOD, Fixtures.logistic(1, 0.8), GATE);
        assertEquals(Outcome.INCONCLUSIVE, r.verdict().outcome(), r.verdict().reason());
        assertTrue(r.verdict().reason().contains("does not exclude 0"), r.verdict().reason());
        assertEquals(0.0, comparison(r, Metric.ACCURACY).delta());
        assertEquals(1.0, r.mcnemar().pValue());
    }

    @Test
    void aNearlyIdenticalCandidateNeverPassesSuperiority() {
        Predictor jitter = new Fixtures.FnPredictor(Fixtures.BINARY_SCHEMA, row -> {
            double p = 1 / (1 + Math.exp(-3 * (row[0] + 0.8 * row[1]) + 0.05 * row[2]));
            return new double[] {1 - p, p};
        });
        Outcome o = run(jitter, GOOD, GATE).verdict().outcome();
        assertTrue(o == Outcome.INCONCLUSIVE || o == Outcome.FAIL, o.name());
    }

    @Test
    void theFirstModelPassesByPolicyWithoutComparisons() {
        EvaluationReport r = run(GOOD, null, GATE);
        assertEquals(Outcome.PASS, r.verdict().outcome());
        assertEquals("PASS: first model: no baseline, passed by policy", r.verdict().reason());
        assertTrue(r.firstModel());
        assertNull(r.baseline());
        assertNull(r.mcnemar());
        assertTrue(r.comparisons().isEmpty());
        assertTrue(r.slices().stream().allMatch(s -> s.baseline() == null));
        assertEquals(Outcome.INCONCLUSIVE, run(GOOD, null, GATE.withFirstModelPolicy(FirstModelPolicy.REQUIRE_APPROVAL)).verdict().outcome());
        assertEquals(Outcome.FAIL, run(GOOD, null, GATE.withFirstModelPolicy(FirstModelPolicy.FAIL)).verdict().outcome());
    }

    @Test
    void theWorstSliceGateFailsACandidateThatIsBadOnOneSlice() {
        Predictor badOnHighBand = new Fixtures.FnPredictor(Fixtures.BINARY_SCHEMA, row -> {
            double p = 1 / (1 + Math.exp(-3 * (row[0] + 0.8 * row[1])));
            if (row[2] > 1.2) {
                p = 1 - p;
            }
            return new double[] {1 - p, p};
        });
        GateConfig gate = GATE.withSliceGate(new SliceGate(List.of("band", "region"), Metric.ACCURACY, 0.7, null, null, 30));
        EvaluationReport r = run(badOnHighBand, WEAK, gate);
        assertEquals(Outcome.FAIL, r.verdict().outcome());
        Verdict.SliceDecision band = r.verdict().slices().get(0);
        assertEquals("band", band.column());
        assertEquals(Outcome.FAIL, band.outcome());
        assertEquals("high", band.worstSlice());
        assertEquals(Outcome.PASS, r.verdict().slices().get(1).outcome(), "every region mixes both bands");
    }

    @Test
    void scoringIsTheSameWhateverTheBatchSizeAndThreadCount() {
        EvaluationRequest.Builder b = EvaluationRequest.builder().setHoldout(HOLDOUT).setCandidate(ModelInput.of("cand", GOOD))
                .optBaseline(ModelInput.of("prod", WEAK)).optGate(GATE);
        String one = ReportWriter.toJson(EVALUATION.run(b.optBatchSize(8192).optParallelism(1).build()));
        String many = ReportWriter.toJson(EVALUATION.run(b.optBatchSize(7).optParallelism(3).build()));
        assertEquals(one, many);
    }

    @Test
    void featuresAndClassesAreMatchedByName() {
        ModelSchema shuffled = new ModelSchema("classification", List.of("x2", "x1", "x0"), "label", List.of("pos", "neg"));
        Predictor sameModelOtherOrder = new Fixtures.FnPredictor(shuffled, row -> {
            double p = 1 / (1 + Math.exp(-3 * (row[2] + 0.8 * row[1])));
            return new double[] {p, 1 - p};
        });
        EvaluationReport r = run(GOOD, sameModelOtherOrder, GATE);
        assertEquals(r.candidate().metrics(), r.baseline().metrics());
    }

    @Test
    void modelsWithDifferentFeaturesAreRejectedNamingBoth() {
        ModelSchema other = new ModelSchema("classification", List.of("x0", "x1", "x9"), "label", List.of("neg", "pos"));
        Predictor baseline = new Fixtures.FnPredictor(other, row -> new double[] {0.5, 0.5});
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(GOOD, baseline, GATE));
        assertTrue(e.getMessage().contains("candidate model 'cand' and baseline model 'prod' have different features: "
                + "candidate [x0, x1, x2], baseline [x0, x1, x9] (only in candidate: [x2], only in baseline: [x9])"), e.getMessage());
    }

    @Test
    void modelsWithDifferentClassesOrTasksAreRejected() {
        ModelSchema classes = new ModelSchema("classification", List.of("x0", "x1", "x2"), "label", List.of("neg", "pos", "other"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run(GOOD, new Fixtures.FnPredictor(classes, row -> new double[] {0.3, 0.3, 0.4}), GATE));
        assertTrue(e.getMessage().contains("have different classes"), e.getMessage());
        ModelSchema regression = new ModelSchema("regression", List.of("x0", "x1", "x2"), "label", List.of());
        e = assertThrows(InvalidInputException.class,
                () -> run(new Fixtures.FnPredictor(regression, row -> new double[] {1}), null, GATE));
        assertTrue(e.getMessage().contains("candidate model 'cand' is a regression model but holdout schema is classification"),
                e.getMessage());
    }

    @Test
    void aClassifierReturningScoresInsteadOfProbabilitiesIsRejected() {
        Predictor logits = new Fixtures.FnPredictor(Fixtures.BINARY_SCHEMA, row -> new double[] {-row[0], row[0] * 3});
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(logits, null, GATE));
        assertTrue(e.getMessage().contains("must return probabilities in [0, 1], not scores or logits"), e.getMessage());
        Predictor shortRows = new Fixtures.FnPredictor(Fixtures.BINARY_SCHEMA, row -> new double[] {1});
        e = assertThrows(InvalidInputException.class, () -> run(shortRows, null, GATE));
        assertTrue(e.getMessage().contains("returned 1 values for holdout row 1; expected 2"), e.getMessage());
    }

    @Test
    void gateRulesMustFitTheTaskAndTheSlices() {
        GateConfig wrong = GateConfig.of(List.of(MetricGate.superiority(Metric.RMSE)))
                .withSliceGate(new SliceGate(List.of("country"), Metric.ACCURACY, 0.5, null, null, 1));
        GateConfigException e = assertThrows(GateConfigException.class, () -> run(GOOD, WEAK, wrong));
        assertEquals(2, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("gate.metrics[0].name: rmse does not apply to a classification model"));
        assertTrue(e.problems().get(1).startsWith("gate.slice_gate.columns[0]: 'country' is not a slice column"));
    }

    @Test
    void precomputedPredictionFilesGiveTheSameResultAsLoadedModels(@TempDir Path dir) throws IOException {
        Path holdout = dir.resolve("holdout.csv");
        Path candidate = dir.resolve("candidate.csv");
        Path baseline = dir.resolve("baseline.csv");
        StringBuilder h = new StringBuilder("x0,x1,x2,label,region\n");
        StringBuilder c = new StringBuilder("neg,pos\n");
        StringBuilder b = new StringBuilder("pos,neg\n");
        int n = 3000;
        for (int i = 0; i < n; i++) {
            float x0 = HOLDOUT.feature(i, 0);
            float x1 = HOLDOUT.feature(i, 1);
            float x2 = HOLDOUT.feature(i, 2);
            h.append(x0).append(',').append(x1).append(',').append(x2).append(',')
                    .append(HOLDOUT.classIndex(i) == 1 ? "pos" : "neg").append(',').append(HOLDOUT.sliceValue("region", i)).append('\n');
            double[] pc = GOOD.predict(new float[][] {{x0, x1, x2}})[0];
            double[] pb = WEAK.predict(new float[][] {{x0, x1, x2}})[0];
            c.append(repr(pc[0])).append(',').append(repr(pc[1])).append('\n');
            b.append(repr(pb[1])).append(',').append(repr(pb[0])).append('\n');
        }
        Files.writeString(holdout, h);
        Files.writeString(candidate, c);
        Files.writeString(baseline, b);
        Holdout read = Holdout.read(holdout, Fixtures.BINARY_SCHEMA, Holdout.Options.defaults().withSliceColumns(List.of("region")));
        EvaluationReport fromFiles = EVALUATION.run(EvaluationRequest.builder().setHoldout(read)
                .setCandidate(ModelInput.predictions("cand", candidate)).optBaseline(ModelInput.predictions("prod", baseline))
                .optGate(GATE).build());
        EvaluationReport fromModels = EVALUATION.run(EvaluationRequest.builder().setHoldout(read)
                .setCandidate(ModelInput.of("cand", GOOD)).optBaseline(ModelInput.of("prod", WEAK)).optGate(GATE).build());
        assertEquals(fromModels.candidate().metrics(), fromFiles.candidate().metrics());
        assertEquals(fromModels.comparisons(), fromFiles.comparisons());
        assertEquals(fromModels.verdict(), fromFiles.verdict());
        assertTrue(fromFiles.candidate().source().startsWith("prediction file "));

        Files.writeString(baseline, "pos,neg\n0.5,0.5\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> EVALUATION.run(EvaluationRequest.builder()
                .setHoldout(read).setCandidate(ModelInput.predictions("cand", candidate))
                .optBaseline(ModelInput.predictions("prod", baseline)).build()));
        assertTrue(e.getMessage().contains("has 1 rows but the holdout has 3000"), e.getMessage());
    }

    @Test
    void regressionModelsAreComparedOnRmseMaeAndR2() {
        ModelSchema schema = new ModelSchema("regression", List.of("x"), "y", List.of());
        int n = 5000;
        float[][] x = new float[n][1];
        double[] y = new double[n];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            x[i][0] = (float) rng.nextGaussian();
            y[i] = 2 * x[i][0] + 0.3 * rng.nextGaussian();
        }
        Holdout holdout = Holdout.ofRegression(schema, x, y, Map.of());
        Predictor exact = new Fixtures.FnPredictor(schema, row -> new double[] {2 * row[0]});
        Predictor biased = new Fixtures.FnPredictor(schema, row -> new double[] {2 * row[0] + 0.2});
        EvaluationReport r = EVALUATION.run(EvaluationRequest.builder().setHoldout(holdout).setCandidate(ModelInput.of("new", exact))
                .optBaseline(ModelInput.of("old", biased))
                .optGate(GateConfig.of(List.of(MetricGate.superiority(Metric.RMSE), MetricGate.nonInferiority(Metric.R2, 0.01)))
                        .withResamples(300)).build());
        assertEquals(Outcome.PASS, r.verdict().outcome(), r.verdict().reason());
        assertEquals(List.of(Metric.RMSE, Metric.MAE, Metric.R2), r.comparisons().stream().map(MetricComparison::metric).toList());
        assertEquals(RegressionMetrics.rmse(y, exact(x)), r.candidate().metric(Metric.RMSE), 1e-12);
        assertNull(r.mcnemar());
        assertNull(r.candidate().confusionMatrix());
    }

    @Test
    void multiclassModelsAreComparedOneVersusRest() throws Exception {
        ModelSchema schema = new ModelSchema("classification", List.of("x0", "x1"), "y", List.of("a", "b", "c"));
        int n = 6000;
        float[][] x = new float[n][2];
        int[] y = new int[n];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        for (int i = 0; i < n; i++) {
            x[i][0] = (float) rng.nextGaussian();
            x[i][1] = (float) rng.nextGaussian();
            double[] logits = {x[i][0], x[i][1], 0};
            double best = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 3; c++) {
                double v = logits[c] + 0.7 * rng.nextGaussian();
                if (v > best) {
                    best = v;
                    y[i] = c;
                }
            }
        }
        Holdout holdout = Holdout.ofClassification(schema, x, y, Map.of());
        EvaluationReport r = EVALUATION.run(EvaluationRequest.builder().setHoldout(holdout)
                .setCandidate(ModelInput.of("sharp", softmax(schema, 2.0))).optBaseline(ModelInput.of("blunt", softmax(schema, 0.3)))
                .optGate(GateConfig.of(List.of(MetricGate.nonInferiority(Metric.ROC_AUC, 0.01), MetricGate.superiority(Metric.LOG_LOSS)))
                        .withResamples(200))
                .build());
        assertEquals(Outcome.PASS, r.verdict().outcome(), r.verdict().reason());
        assertNull(r.positiveClass());
        assertEquals(3, r.candidate().rocCurves().size());
        assertEquals(List.of("a", "b", "c"), r.candidate().rocCurves().stream().map(RocCurve::positiveClass).toList());
        MetricComparison auc = comparison(r, Metric.ROC_AUC);
        assertNotNull(auc.interval(), "gated ROC AUC is bootstrapped");
        assertEquals(ClassificationMetrics.rocAuc(y, scores(schema, softmax(schema, 2.0), x), 3), r.candidate().metric(Metric.ROC_AUC), 1e-12);
        String html = ReportWriter.toHtml(r);
        org.w3c.dom.Document doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(html.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(3, doc.getElementsByTagName("svg").getLength());
    }

    private static Predictor softmax(ModelSchema schema, double sharpness) {
        return new Fixtures.FnPredictor(schema, row -> {
            double a = Math.exp(sharpness * row[0]);
            double b = Math.exp(sharpness * row[1]);
            double s = a + b + 1;
            return new double[] {a / s, b / s, 1 / s};
        });
    }

    private static double[] scores(ModelSchema schema, Predictor p, float[][] x) {
        double[][] out = p.predict(x);
        double[] flat = new double[out.length * 3];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(out[i], 0, flat, 3 * i, 3);
        }
        return flat;
    }

    private static double[] exact(float[][] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = 2 * x[i][0];
        }
        return out;
    }

    private static String repr(double v) {
        return String.format(Locale.ROOT, "%.17g", v);
    }
}
