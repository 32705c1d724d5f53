package dev.mlops.jenkins.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.jenkins.support.ActionSupport;
import dev.mlops.jenkins.support.TestBuild.TestJob;
import dev.mlops.jenkins.support.TestBuild.TestRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingRunActionTest {

    private static Map<String, Object> document(String buildUrl, boolean reused) {
        return Map.ofEntries(
                Map.entry("schema", "mlops.run/v1"),
                Map.entry("id", "20260105-142233-a1b2c3"),
                Map.entry("status", "SUCCEEDED"),
                Map.entry("trainer", "djl-mlp"),
                Map.entry("trainerVersion", "1+djl0.35.1"),
                Map.entry("params", Map.of("epochs", "2", "hidden", "64,32")),
                Map.entry("seed", 42),
                Map.entry("format", "djl-mlp"),
                Map.entry("metrics", Map.of("val_accuracy", 0.91234, "loss", 0.2)),
                Map.entry("epochs", List.of(
                        Map.of("epoch", 1, "metrics", Map.of("loss", 0.5, "val_accuracy", 0.8)),
                        Map.of("epoch", 2, "metrics", Map.of("loss", 0.2, "val_accuracy", 0.91234, "val_loss", 0.25)))),
                Map.entry("environment", Map.ofEntries(Map.entry("host", "gpu-host-1"), Map.entry("agent", "gpu-7"),
                        Map.entry("javaVersion", "17.0.15"), Map.entry("javaVendor", "Eclipse Adoptium"),
                        Map.entry("os", "Linux 6.1"), Map.entry("arch", "amd64"), Map.entry("cpuModel", "AMD EPYC"),
                        Map.entry("cpuCores", 16), Map.entry("memoryBytes", 64L * 1024 * 1024 * 1024),
                        Map.entry("gpus", List.of(Map.of("name", "NVIDIA H100 80GB HBM3", "driverVersion", "550.54.15"))),
                        Map.entry("trainer", Map.of("djl.device", "cpu", "pytorch.flavor", "cpu")))),
                Map.entry("lineage", Map.of("git", Map.of("commit", "0123456789abcdef"),
                        "build", Map.of("system", "jenkins", "url", buildUrl))),
                Map.entry("usage", Map.of("wallMillis", 83_500, "cpuMillis", 301_000, "peakRssBytes", 512L * 1024 * 1024)),
                Map.entry("outputDir", "/ws/.mlops/runs/20260105-142233-a1b2c3/output"),
                Map.entry("files", List.of(Map.of("path", "mlp-0002.params", "sha256", "ab".repeat(32), "sizeBytes", 2048))),
                Map.entry("startedAt", "2026-01-05T14:22:33Z"),
                Map.entry("finishedAt", "2026-01-05T14:23:56Z"),
                Map.entry("warnings", List.of("djl-mlp trains on the CPU")),
                Map.entry("reused", reused));
    }

    @Test
    void readsEveryDisplayedFieldFromTheRunDocument() {
        TrainingRunAction action = TrainingRunAction.fromDocument(document("https://ci.example.com/job/x/3/", false));

        assertEquals("20260105-142233-a1b2c3", action.getId());
        assertEquals("Training run 20260105-142233-a1b2c3", action.getDisplayName());
        assertEquals("mlops-run-20260105-142233-a1b2c3", action.getUrlName());
        assertEquals("symbol-analytics", action.getIconFileName());
        assertTrue(action.isSucceeded());
        assertFalse(action.isReused());
        assertEquals(Map.of("epochs", "2", "hidden", "64,32"), action.getParams());
        assertEquals("0.9123", action.getMetricsText().get("val_accuracy"));
        assertEquals(List.of("loss", "val_accuracy", "val_loss"), action.getEpochColumns().stream().sorted().toList());
        assertEquals(2, action.getEpochs().size());
        assertEquals(2, action.getEpochs().get(1).getEpoch());
        int valLoss = action.getEpochColumns().indexOf("val_loss");
        assertEquals("", action.getEpochs().get(0).getValues().get(valLoss), "missing values stay empty");
        assertEquals("0.2500", action.getEpochs().get(1).getValues().get(valLoss));
        assertEquals("gpu-7", action.getAgent());
        assertEquals("NVIDIA H100 80GB HBM3 (driver 550.54.15)", action.getGpusText());
        assertEquals("64.0 GB", action.getMemory());
        assertEquals("17.0.15 Eclipse Adoptium", action.getJava());
        assertEquals("cpu", action.getTrainerEnvironment().get("djl.device"));
        assertEquals("1 min 24 s", action.getWallTime());
        assertEquals("5 min 01 s", action.getCpuTime());
        assertEquals("512.0 MB", action.getPeakMemory());
        assertEquals("2.0 KB", action.getFiles().get(0).getSize());
        assertEquals("0123456789abcdef", action.getGitCommit());
        assertEquals(List.of("djl-mlp trains on the CPU"), action.getWarnings());
    }

    @Test
    void aReusedRunLinksTheBuildThatTrainedIt() {
        TrainingRunAction action = TrainingRunAction.fromDocument(document("https://ci.example.com/job/x/3/", true));
        assertTrue(action.isReused());
        assertEquals("https://ci.example.com/job/x/3/", action.getTrainedByBuildLink());
    }

    @Test
    void onlyHttpBuildUrlsBecomeLinks() {
        TrainingRunAction action = TrainingRunAction.fromDocument(document("javascript:alert(1)", true));
        assertNull(action.getTrainedByBuildLink());
        assertEquals("javascript:alert(1)", action.getTrainedByBuild());
    }

    @Test
    void toleratesAMinimalDocument() {
        TrainingRunAction action = TrainingRunAction.fromDocument(Map.of("id", "r1", "status", "FAILED", "error", "boom"));
        assertFalse(action.isSucceeded());
        assertEquals("none visible", action.getGpusText());
        assertEquals("unknown", action.getMemory());
        assertEquals("unknown", action.getCpuTime());
        assertTrue(action.getEpochs().isEmpty());
        assertNull(action.getExitCode());
        assertEquals("boom", action.getError());
    }

    @Test
    void keepsTheRunFromOnAttachedAndOnLoad() throws Exception {
        TrainingRunAction action = TrainingRunAction.fromDocument(document("https://ci.example.com/job/a/1/", false));
        TestRun first = new TestRun(new TestJob("a"));
        first.addAction(action);
        assertSame(first, action.getRun());
        TestRun reloaded = new TestRun(new TestJob("a"));
        action.onLoad(reloaded);
        assertSame(reloaded, action.getRun());
    }

    @Test
    void formatsDurationsAndSizes() {
        assertEquals("250 ms", TrainingRunAction.duration(250));
        assertEquals("2.5 s", TrainingRunAction.duration(2500));
        assertEquals("2 h 05 min", TrainingRunAction.duration((2 * 3600 + 5 * 60) * 1000L));
        assertEquals("512 B", ActionSupport.humanSize(512));
        assertEquals("1.5 KB", ActionSupport.humanSize(1536));
    }
}
