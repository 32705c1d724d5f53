package dev.mlops.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.evaluate.EvaluationReport.Interval;
import dev.mlops.evaluate.EvaluationReport.MetricComparison;
import dev.mlops.evaluate.EvaluationReport.SliceReport;
import dev.mlops.evaluate.Verdict.MetricDecision;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateTest {
    static MetricComparison comparison(Metric metric, double candidate, double baseline, double lower, double upper) {
        Interval ci = new Interval(lower, upper, 0.95, 1000, 0, 1, (upper - lower) / 4, "test");
        return new MetricComparison(metric, metric.direction(), candidate, baseline, candidate - baseline, null, ci, true);
    }

    static MetricDecision decide(MetricGate rule, MetricComparison c) {
        return Gate.decide(rule, c);
    }

    @Test
    void anImprovementWhoseIntervalExcludesZeroPasses() {
        MetricDecision d = decide(MetricGate.superiority(Metric.ACCURACY), comparison(Metric.ACCURACY, 0.87, 0.84, 0.02, 0.04));
        assertEquals(Outcome.PASS, d.outcome());
        assertTrue(d.reason().contains("95% CI [+0.0200, +0.0400] excludes 0"), d.reason());
    }

    @Test
    void aWorseCandidateFails() {
        MetricDecision d = decide(MetricGate.superiority(Metric.ACCURACY), comparison(Metric.ACCURACY, 0.82, 0.84, -0.03, -0.01));
        assertEquals(Outcome.FAIL, d.outcome());
        assertTrue(d.reason().contains("accuracy 0.8200 vs baseline 0.8400 (change -0.0200"), d.reason());
    }

    @Test
    void anImprovementWithinTheNoiseIsInconclusive() {
        MetricDecision d = decide(MetricGate.superiority(Metric.ACCURACY), comparison(Metric.ACCURACY, 0.841, 0.84, -0.002, 0.004));
        assertEquals(Outcome.INCONCLUSIVE, d.outcome());
        assertTrue(d.reason().contains("does not exclude 0 (no improvement): not enough evidence of improvement"), d.reason());
    }

    @Test
    void lowerIsBetterMetricsImproveDownwards() {
        assertEquals(Outcome.PASS, decide(MetricGate.superiority(Metric.LOG_LOSS),
                comparison(Metric.LOG_LOSS, 0.30, 0.35, -0.07, -0.03)).outcome());
        assertEquals(Outcome.FAIL, decide(MetricGate.superiority(Metric.LOG_LOSS),
                comparison(Metric.LOG_LOSS, 0.36, 0.35, 0.0, 0.02)).outcome());
        assertEquals(Outcome.INCONCLUSIVE, decide(MetricGate.superiority(Metric.RMSE),
                comparison(Metric.RMSE, 9.9, 10.0, -0.3, 0.1)).outcome());
    }

    @Test
    void anImprovementBelowTheAbsoluteMinimumFails() {
        MetricDecision d = decide(MetricGate.superiority(Metric.ACCURACY).withMinAbsoluteChange(0.01),
                comparison(Metric.ACCURACY, 0.845, 0.84, 0.003, 0.007));
        assertEquals(Outcome.FAIL, d.outcome());
        assertTrue(d.reason().contains("needs an improvement of at least 0.0100 (min_absolute_change)"), d.reason());
    }

    @Test
    void relativeChangeIsTheImprovementOverTheAbsoluteBaseline() {
        // 0.85 vs 0.80: +6.25 % relative
        MetricGate rule = MetricGate.superiority(Metric.ACCURACY).withMinRelativeChange(0.07);
        MetricDecision d = decide(rule, comparison(Metric.ACCURACY, 0.85, 0.80, 0.04, 0.06));
        assertEquals(Outcome.FAIL, d.outcome());
        assertTrue(d.reason().contains("relative improvement 6.25% is below min_relative_change 7.00%"), d.reason());
        assertEquals(Outcome.PASS, decide(rule.withMinRelativeChange(0.06), comparison(Metric.ACCURACY, 0.85, 0.80, 0.04, 0.06)).outcome());
        // lower is better: (baseline - candidate) / |baseline| = (0.5 - 0.4) / 0.5 = 20 %
        assertEquals(Outcome.PASS, decide(MetricGate.superiority(Metric.MAE).withMinRelativeChange(0.2),
                comparison(Metric.MAE, 0.4, 0.5, -0.12, -0.08)).outcome());
    }

    @Test
    void aZeroBaselineMakesTheRelativeChangeUndefinedSoOnlyTheAbsoluteRuleApplies() {
        MetricGate rule = MetricGate.superiority(Metric.R2).withMinAbsoluteChange(0.05).withMinRelativeChange(0.5);
        MetricDecision pass = decide(rule, comparison(Metric.R2, 0.10, 0.0, 0.07, 0.13));
        assertEquals(Outcome.PASS, pass.outcome());
        assertTrue(pass.reason().contains("relative change undefined (baseline is 0), only min_absolute_change applied"), pass.reason());
        MetricDecision fail = decide(rule, comparison(Metric.R2, 0.03, 0.0, 0.01, 0.05));
        assertEquals(Outcome.FAIL, fail.outcome());
        assertTrue(fail.reason().contains("relative change undefined (baseline is 0)"), fail.reason());
    }

    @Test
    void nonInferiorityAcceptsALossWithinTheMargin() {
        MetricGate rule = MetricGate.nonInferiority(Metric.ACCURACY, 0.01);
        MetricDecision pass = decide(rule, comparison(Metric.ACCURACY, 0.835, 0.84, -0.008, -0.002));
        assertEquals(Outcome.PASS, pass.outcome());
        assertTrue(pass.reason().contains("excludes -margin (-0.0100)"), pass.reason());
        MetricDecision fail = decide(rule, comparison(Metric.ACCURACY, 0.82, 0.84, -0.03, -0.01));
        assertEquals(Outcome.FAIL, fail.outcome());
        assertTrue(fail.reason().contains("worse by more than the non-inferiority margin 0.0100"), fail.reason());
        MetricDecision unsure = decide(rule, comparison(Metric.ACCURACY, 0.835, 0.84, -0.015, 0.005));
        assertEquals(Outcome.INCONCLUSIVE, unsure.outcome());
        // lower is better: log loss up by 0.01 with margin 0.02, interval upper 0.015 < margin
        assertEquals(Outcome.PASS, decide(MetricGate.nonInferiority(Metric.LOG_LOSS, 0.02),
                comparison(Metric.LOG_LOSS, 0.31, 0.30, 0.005, 0.015)).outcome());
        assertEquals(Outcome.INCONCLUSIVE, decide(MetricGate.nonInferiority(Metric.LOG_LOSS, 0.02),
                comparison(Metric.LOG_LOSS, 0.31, 0.30, 0.0, 0.025)).outcome());
    }

    @Test
    void anUndefinedMetricIsAnError() {
        MetricComparison undefined = new MetricComparison(Metric.ROC_AUC, Direction.HIGHER_IS_BETTER, null, 0.8, null, null, null, true);
        MetricDecision d = decide(MetricGate.superiority(Metric.ROC_AUC), undefined);
        assertEquals(Outcome.ERROR, d.outcome());
        assertTrue(d.reason().contains("roc_auc is undefined for the candidate"), d.reason());
        MetricComparison noInterval = new MetricComparison(Metric.ACCURACY, Direction.HIGHER_IS_BETTER, 0.9, 0.8, 0.1, null,
                new Interval(null, null, 0.95, 1000, 1000, 1, null, "test"), true);
        assertEquals(Outcome.ERROR, decide(MetricGate.superiority(Metric.ACCURACY), noInterval).outcome());
    }

    @Test
    void theFirstModelPassesByDefaultAndTheReasonSaysSo() {
        Verdict v = Gate.decide(GateConfig.defaultFor("classification"), false, Map.of(), List.of());
        assertEquals(Outcome.PASS, v.outcome());
        assertEquals("PASS: " + Gate.FIRST_MODEL_PASSED, v.reason());
        assertTrue(v.reason().contains("first model: no baseline, passed by policy"));
        assertTrue(v.firstModel());
        assertTrue(v.metrics().isEmpty());
    }

    @Test
    void theFirstModelFailsOrWaitsForApprovalWhenThePolicySaysSo() {
        GateConfig gate = GateConfig.defaultFor("classification");
        Verdict fail = Gate.decide(gate.withFirstModelPolicy(FirstModelPolicy.FAIL), false, Map.of(), List.of());
        assertEquals(Outcome.FAIL, fail.outcome());
        assertTrue(fail.reason().contains(Gate.FIRST_MODEL_FAILED), fail.reason());
        Verdict approval = Gate.decide(gate.withFirstModelPolicy(FirstModelPolicy.REQUIRE_APPROVAL), false, Map.of(), List.of());
        assertEquals(Outcome.INCONCLUSIVE, approval.outcome());
        assertTrue(approval.reason().contains(Gate.FIRST_MODEL_APPROVAL), approval.reason());
    }

    @Test
    void theOverallOutcomeIsTheWorstInTheOrderFailErrorInconclusivePass() {
        assertEquals(Outcome.FAIL, Outcome.combine(List.of(Outcome.PASS, Outcome.ERROR, Outcome.FAIL, Outcome.INCONCLUSIVE)));
        assertEquals(Outcome.ERROR, Outcome.combine(List.of(Outcome.INCONCLUSIVE, Outcome.ERROR, Outcome.PASS)));
        assertEquals(Outcome.INCONCLUSIVE, Outcome.combine(List.of(Outcome.PASS, Outcome.INCONCLUSIVE)));
        assertEquals(Outcome.PASS, Outcome.combine(List.of(Outcome.PASS, Outcome.PASS)));

        GateConfig gate = GateConfig.of(List.of(MetricGate.superiority(Metric.ACCURACY), MetricGate.superiority(Metric.LOG_LOSS)));
        Map<Metric, MetricComparison> c = new EnumMap<>(Metric.class);
        c.put(Metric.ACCURACY, comparison(Metric.ACCURACY, 0.87, 0.84, 0.02, 0.04));
        c.put(Metric.LOG_LOSS, comparison(Metric.LOG_LOSS, 0.349, 0.35, -0.01, 0.005));
        Verdict v = Gate.decide(gate, true, c, List.of());
        assertEquals(Outcome.INCONCLUSIVE, v.outcome());
        assertTrue(v.reason().startsWith("INCONCLUSIVE: log_loss"), v.reason());
        assertFalse(v.reason().contains("accuracy"), "passing metrics are not repeated in a non-PASS reason: " + v.reason());
        c.put(Metric.LOG_LOSS, comparison(Metric.LOG_LOSS, 0.30, 0.35, -0.07, -0.03));
        Verdict pass = Gate.decide(gate, true, c, List.of());
        assertEquals(Outcome.PASS, pass.outcome());
        assertTrue(pass.reason().startsWith("PASS: all 2 gated metrics passed"), pass.reason());
    }

    static SliceReport slice(String column, String value, int rows, double accuracy) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy);
        return new SliceReport(column, value, rows, m, null);
    }

    @Test
    void theWorstSliceGateFailsOnOneBadSlice() {
        List<SliceReport> slices = List.of(slice("region", "north", 500, 0.86), slice("region", "south", 480, 0.84),
                slice("region", "east", 510, 0.61), slice("region", "west", 490, 0.85));
        GateConfig gate = GateConfig.defaultFor("classification")
                .withSliceGate(new SliceGate(List.of("region"), Metric.ACCURACY, 0.7, null, null, 1));
        Map<Metric, MetricComparison> c = Map.of(Metric.ACCURACY, comparison(Metric.ACCURACY, 0.87, 0.84, 0.02, 0.04));
        Verdict v = Gate.decide(gate, true, c, slices);
        assertEquals(Outcome.FAIL, v.outcome());
        Verdict.SliceDecision d = v.slices().get(0);
        assertEquals("east", d.worstSlice());
        assertEquals(0.61, d.worstValue());
        assertTrue(d.reason().contains("worst slice region=east (510 rows, 4 slices gated): accuracy 0.6100 is below min_value 0.7000"),
                d.reason());
        assertTrue(v.reason().contains("region=east"), v.reason());
    }

    @Test
    void theSliceGapGateAndMinimumRows() {
        List<SliceReport> slices = List.of(slice("region", "north", 500, 0.86), slice("region", "tiny", 5, 0.2),
                slice("region", "south", 480, 0.79));
        SliceGate gap = new SliceGate(List.of("region"), Metric.ACCURACY, null, null, 0.05, 30);
        Verdict v = Gate.decide(GateConfig.defaultFor("classification").withSliceGate(gap), false, Map.of(), slices);
        assertEquals(Outcome.FAIL, v.outcome(), "a failing slice gate fails a first model too");
        assertTrue(v.reason().contains(Gate.FIRST_MODEL_PASSED), v.reason());
        Verdict.SliceDecision d = v.slices().get(0);
        assertEquals("south", d.worstSlice(), "the 5-row slice is below min_rows and not gated");
        assertEquals(0.07, d.gap(), 1e-12);
        assertTrue(d.reason().contains("gap to best slice region=north (0.8600) is 0.0700, above max_gap 0.0500"), d.reason());
        SliceGate loose = new SliceGate(List.of("region"), Metric.ACCURACY, null, null, 0.1, 30);
        assertEquals(Outcome.PASS, Gate.decide(GateConfig.defaultFor("classification").withSliceGate(loose), false, Map.of(), slices).outcome());
        SliceGate none = new SliceGate(List.of("region"), Metric.ACCURACY, null, null, 0.1, 1000);
        assertEquals(Outcome.ERROR, Gate.decide(GateConfig.defaultFor("classification").withSliceGate(none), false, Map.of(), slices).outcome());
    }
}
