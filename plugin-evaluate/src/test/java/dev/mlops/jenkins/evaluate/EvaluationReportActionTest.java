package dev.mlops.jenkins.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.jenkins.support.TestBuild.TestJob;
import dev.mlops.jenkins.support.TestBuild.TestRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportActionTest {
    @TempDir
    Path builds;

    private static Map<String, Object> summary() {
        return Map.of("schema", "mlops.evaluation-summary/v1", "outcome", "FAIL", "reason", "accuracy: -0.31 below 0",
                "firstModel", false, "candidate", "run 20260105-142233-a1b2c3", "baseline", "churn:3 (@production)",
                "rows", 500, "candidateMetrics", Map.of("accuracy", 0.5, "log_loss", 0.7),
                "baselineMetrics", Map.of("accuracy", 0.81), "report", "/ws/.mlops/reports/evaluation/evaluation.html");
    }

    @Test
    void readsTheSummary() {
        EvaluationReportAction action = EvaluationReportAction.fromSummary(summary(), 1, "mlops-evaluation/1");
        assertEquals("FAIL", action.getOutcome());
        assertEquals("FAIL: accuracy: -0.31 below 0", action.getHeadline());
        assertEquals("Model evaluation: FAIL", action.getDisplayName());
        assertEquals("symbol-document-text", action.getIconFileName());
        assertEquals("churn:3 (@production)", action.getBaseline());
        assertEquals(500, action.getRows());
        List<EvaluationReportAction.MetricRow> rows = action.getMetricRows();
        assertEquals("accuracy", rows.get(0).getName());
        assertEquals("0.5000", rows.get(0).getCandidate());
        assertEquals("0.8100", rows.get(0).getBaseline());
        assertEquals("-0.3100", rows.get(0).getDelta());
        assertEquals("", rows.get(1).getBaseline(), "log_loss has no baseline value");
        assertEquals("", rows.get(1).getDelta());
    }

    @Test
    void servesNothingWhenTheReportIsGoneOrBeforeItIsAttached() throws Exception {
        EvaluationReportAction action = EvaluationReportAction.fromSummary(summary(), 1, "mlops-evaluation/1");
        assertNull(action.reportFolder());
        assertEquals(404, FakeResponse.of(action.doReport()).status);

        TestRun run = new TestRun(new TestJob("churn"), builds.toFile());
        run.addAction(action);
        assertSame(run, action.getRun());
        assertEquals(404, FakeResponse.of(action.doJson()).status);
    }

    @Test
    void servesTheKeptReportSandboxed() throws Exception {
        Files.createDirectories(builds.resolve("mlops-evaluation/1"));
        Files.writeString(builds.resolve("mlops-evaluation/1/evaluation.html"), "<!DOCTYPE html><html><body>é</body></html>");
        TestRun run = new TestRun(new TestJob("churn"), builds.toFile());
        EvaluationReportAction action = EvaluationReportAction.fromSummary(summary(), 1, "mlops-evaluation/1");
        run.addAction(action);

        FakeResponse page = FakeResponse.of(action.doReport());

        assertEquals(200, page.status);
        assertEquals("<!DOCTYPE html><html><body>é</body></html>", page.body.toString());
        assertEquals(SandboxedReport.CONTENT_SECURITY_POLICY, page.headers.get("Content-Security-Policy"));
        assertTrue(page.headers.get("Content-Security-Policy").contains("sandbox"));
        assertEquals("nosniff", page.headers.get("X-Content-Type-Options"));
    }

    @Test
    void keepsTheRunOnLoad() throws Exception {
        EvaluationReportAction action = EvaluationReportAction.fromSummary(summary(), 2, "mlops-evaluation/2");
        TestRun reloaded = new TestRun(new TestJob("churn"), builds.toFile());
        action.onLoad(reloaded);
        assertSame(reloaded, action.getRun());
        assertEquals("mlops-evaluation-2", action.getUrlName());
    }
}
