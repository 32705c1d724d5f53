package dev.mlops.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.ErrorCode;
import dev.mlops.error.InvalidInputException;
import dev.mlops.json.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateConfigTest {
    @Test
    void parsesEveryField() {
        GateConfig g = GateConfig.parse("""
                {"gate": {
                  "metrics": [
                    {"name": "accuracy", "min_absolute_change": 0.005, "min_relative_change": 0.01},
                    {"name": "log_loss", "mode": "non_inferiority", "margin": 0.02},
                    {"name": "f1_macro", "direction": "higher_is_better"}],
                  "confidence_level": 0.9, "bootstrap_resamples": 2000, "seed": 42,
                  "first_model_policy": "require_approval",
                  "slice_gate": {"columns": ["region"], "metric": "accuracy", "min_value": 0.7, "max_gap": 0.1, "min_rows": 30}}}
                """, "gate.json");
        assertEquals(3, g.metrics().size());
        MetricGate accuracy = g.metrics().get(0);
        assertEquals(Metric.ACCURACY, accuracy.metric());
        assertEquals(Direction.HIGHER_IS_BETTER, accuracy.direction());
        assertEquals(0.005, accuracy.minAbsoluteChange());
        assertEquals(0.01, accuracy.minRelativeChange());
        assertEquals(GateMode.SUPERIORITY, accuracy.mode());
        MetricGate logLoss = g.metrics().get(1);
        assertEquals(GateMode.NON_INFERIORITY, logLoss.mode());
        assertEquals(0.02, logLoss.margin());
        assertEquals(Direction.LOWER_IS_BETTER, logLoss.direction(), "direction defaults to the metric's");
        assertEquals(0.9, g.confidenceLevel());
        assertEquals(2000, g.resamples());
        assertEquals(42, g.seed());
        assertEquals(FirstModelPolicy.REQUIRE_APPROVAL, g.firstModelPolicy());
        assertEquals(new SliceGate(List.of("region"), Metric.ACCURACY, 0.7, null, 0.1, 30), g.sliceGate());
    }

    @Test
    void appliesDefaults() {
        GateConfig g = GateConfig.parse("{\"metrics\": [{\"name\": \"rmse\"}]}", "inline");
        assertEquals(FirstModelPolicy.PASS, g.firstModelPolicy());
        assertEquals(0.95, g.confidenceLevel());
        assertEquals(1000, g.resamples());
        assertEquals(GateConfig.DEFAULT_SEED, g.seed());
        assertNull(g.sliceGate());
        assertEquals(MetricGate.superiority(Metric.RMSE), g.metrics().get(0));
    }

    @Test
    void collectsEveryProblemWithItsPath() {
        GateConfigException e = assertThrows(GateConfigException.class, () -> GateConfig.parse("""
                {"gate": {
                  "metrics": [
                    {"name": "acc"},
                    {"name": "accuracy", "min_relative_change": "0.05"},
                    {"name": "log_loss", "mode": "non_inferiority"},
                    {"name": "f1_macro", "margin": 0.1, "min_absolute_change": -0.01},
                    {"name": "roc_auc", "mode": "both", "thresold": 1},
                    "mae"],
                  "confidence_level": 1.5, "bootstrap_resamples": 10.5, "seed": "x",
                  "first_model_policy": "maybe", "approvers": [],
                  "slice_gate": {"metric": "log_loss", "min_value": 0.5}}}
                """, "gate.json"));
        List<String> p = e.problems();
        assertContains(p, "gate.metrics[0].name: 'acc' is not a metric; use one of accuracy, precision_macro");
        assertContains(p, "gate.metrics[1].min_relative_change: " + GateConfig.MUST_BE_NUMBER);
        assertContains(p, "gate.metrics[2].margin: " + GateConfig.REQUIRED + " for mode non_inferiority");
        assertContains(p, "gate.metrics[3].margin: " + GateConfig.MARGIN_NEEDS_NON_INFERIORITY);
        assertContains(p, "gate.metrics[3].min_absolute_change: -0.01 " + GateConfig.MUST_BE_NON_NEGATIVE);
        assertContains(p, "gate.metrics[4].mode: 'both' is unknown; use superiority or non_inferiority");
        assertContains(p, "gate.metrics[4].thresold: " + GateConfig.UNKNOWN_FIELD);
        assertContains(p, "gate.metrics[5]: " + GateConfig.MUST_BE_OBJECT);
        assertContains(p, "gate.confidence_level: 1.5 not in [0.5, 1)");
        assertContains(p, "gate.bootstrap_resamples: " + GateConfig.MUST_BE_INTEGER);
        assertContains(p, "gate.seed: " + GateConfig.MUST_BE_INTEGER);
        assertContains(p, "gate.first_model_policy: 'maybe' is unknown; use pass, fail or require_approval");
        assertContains(p, "gate.approvers: " + GateConfig.UNKNOWN_FIELD);
        assertContains(p, "gate.slice_gate.columns: " + GateConfig.REQUIRED);
        assertContains(p, "gate.slice_gate.min_value: log_loss is lower-is-better; use max_value");
        assertEquals(15, p.size(), String.join("\n", p));
        assertTrue(e.getMessage().startsWith("gate config gate.json has 15 problems: "), e.getMessage());
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
    }

    @Test
    void nonInferiorityRejectsSuperiorityThresholds() {
        GateConfigException e = assertThrows(GateConfigException.class, () -> GateConfig.parse(
                "{\"metrics\": [{\"name\": \"accuracy\", \"mode\": \"non_inferiority\", \"margin\": 0.01, \"min_absolute_change\": 0.1}]}",
                "inline"));
        assertEquals(List.of("gate.metrics[0]: " + GateConfig.THRESHOLDS_NEED_SUPERIORITY), e.problems());
    }

    @Test
    void rejectsMissingEmptyAndDuplicateMetrics() {
        assertEquals(List.of("gate.metrics: " + GateConfig.REQUIRED + "; list at least one metric, e.g. [{\"name\": \"accuracy\"}]"),
                assertThrows(GateConfigException.class, () -> GateConfig.parse("{\"gate\": {}}", "g")).problems());
        assertEquals(List.of("gate.metrics: must be a non-empty array of metric rules"),
                assertThrows(GateConfigException.class, () -> GateConfig.parse("{\"metrics\": []}", "g")).problems());
        assertEquals(List.of("gate.metrics[1].name: accuracy is listed twice; keep one rule per metric"),
                assertThrows(GateConfigException.class,
                        () -> GateConfig.parse("{\"metrics\": [{\"name\": \"accuracy\"}, {\"name\": \"accuracy\"}]}", "g")).problems());
    }

    @Test
    void rejectsASliceGateWithoutLimits() {
        GateConfigException e = assertThrows(GateConfigException.class, () -> GateConfig.parse(
                "{\"metrics\": [{\"name\": \"accuracy\"}], \"slice_gate\": {\"columns\": [\"r\"], \"metric\": \"accuracy\"}}", "g"));
        assertEquals(List.of("gate.slice_gate: " + GateConfig.SLICE_GATE_NEEDS_LIMIT), e.problems());
    }

    @Test
    void rejectsInvalidJsonWithItsLine() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> GateConfig.parse("{\n\"metrics\": [,]}", "g.json"));
        assertTrue(e.getMessage().contains("g.json is not valid JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void rejectsAMissingFile(@TempDir Path dir) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> GateConfig.read(dir.resolve("gate.json")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void theDocumentFormParsesBackToTheSameConfig() {
        GateConfig g = GateConfig.of(List.of(MetricGate.superiority(Metric.ACCURACY).withMinAbsoluteChange(0.01).withMinRelativeChange(0.02),
                        MetricGate.nonInferiority(Metric.LOG_LOSS, 0.05)))
                .withSeed(7).withResamples(500).withConfidenceLevel(0.9).withFirstModelPolicy(FirstModelPolicy.FAIL)
                .withSliceGate(new SliceGate(List.of("region", "segment"), Metric.LOG_LOSS, null, 0.8, 0.2, 10));
        assertEquals(g, GateConfig.parse(Json.toString(g.toDocument()), "round trip"));
    }

    @Test
    void recordsRejectInvalidValuesToo() {
        assertThrows(InvalidInputException.class, () -> MetricGate.superiority(Metric.ACCURACY).withMinAbsoluteChange(-1));
        assertThrows(InvalidInputException.class, () -> GateConfig.of(List.of()));
        assertThrows(InvalidInputException.class, () -> GateConfig.defaultFor("classification").withResamples(5));
        assertThrows(InvalidInputException.class, () -> new SliceGate(List.of("r"), Metric.ACCURACY, null, 0.5, null, 1));
    }

    private static void assertContains(List<String> problems, String prefix) {
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(prefix)), "no problem starting with\n  " + prefix + "\nin\n  "
                + String.join("\n  ", problems));
    }
}
