package dev.mlops.jenkins.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.mlops.jenkins.support.ActionSupport;
import dev.mlops.jenkins.support.TestBuild.TestJob;
import dev.mlops.jenkins.support.TestBuild.TestRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegisteredModelActionTest {

    private static Map<String, Object> document(String buildUrl) {
        return Map.of(
                "schema", "mlops.version/v1",
                "model", "churn",
                "version", 3,
                "ref", "churn:3",
                "aliases", List.of("production", "staging"),
                "files", List.of(Map.of("path", "model.onnx", "sha256", "ab".repeat(32), "sizeBytes", 5 * 1024 * 1024)),
                "metrics", Map.of("auc", 0.91, "n", 1200),
                "lineage", Map.of(
                        "git", Map.of("commit", "0123456789abcdef0123", "branch", "main", "dirty", true,
                                "remoteUrl", "https://git.example.com/ml.git"),
                        "datasets", List.of(Map.of("path", "train.csv", "sha256", "cd".repeat(32), "sizeBytes", 10, "rows", 2)),
                        "build", Map.of("system", "jenkins", "url", buildUrl),
                        "user", "alice"),
                "registry", "azblob://models/prod");
    }

    @Test
    void readsEveryDisplayedFieldFromTheVersionDocument() {
        RegisteredModelAction action = RegisteredModelAction.fromDocument(document("https://ci.example.com/job/x/1/"));

        assertEquals("churn:3", action.getRef());
        assertEquals(3, action.getVersion());
        assertEquals("Model churn:3", action.getDisplayName());
        assertEquals("mlops-model-churn-3", action.getUrlName());
        assertEquals("symbol-cube", action.getIconFileName());
        assertEquals("production, staging", action.getAliasesText());
        assertEquals("5.0 MB", action.getFiles().get(0).getSize());
        assertEquals(Map.of("auc", 0.91, "n", 1200.0), action.getMetrics());
        assertEquals("0123456789ab", action.getGitShortCommit());
        assertEquals(Boolean.TRUE, action.getGitDirty());
        assertEquals("https://git.example.com/ml.git", action.getGitRemote());
        assertEquals(2L, action.getDatasets().get(0).getRows());
        assertEquals("alice", action.getUser());
        assertEquals("https://ci.example.com/job/x/1/", action.getBuildLink());
        assertEquals("azblob://models/prod", action.getRegistry());
    }

    @Test
    void onlyHttpBuildUrlsBecomeLinks() {
        RegisteredModelAction action = RegisteredModelAction.fromDocument(document("javascript:alert(1)"));
        assertNull(action.getBuildLink());
        assertEquals("javascript:alert(1)", action.getBuildUrl());
    }

    @Test
    void toleratesADocumentWithoutLineage() {
        RegisteredModelAction action = RegisteredModelAction.fromDocument(Map.of("model", "m", "version", 1, "ref", "m:1"));
        assertNull(action.getGitCommit());
        assertNull(action.getGitShortCommit());
        assertEquals(List.of(), action.getDatasets());
        assertEquals(List.of(), action.getFiles());
    }

    @Test
    void keepsTheRunFromOnAttachedAndOnLoad() throws Exception {
        RegisteredModelAction action = RegisteredModelAction.fromDocument(document("https://ci.example.com/job/a/1/"));
        TestRun first = new TestRun(new TestJob("a"));
        first.addAction(action);
        assertSame(first, action.getRun());
        TestRun reloaded = new TestRun(new TestJob("a"));
        action.onLoad(reloaded);
        assertSame(reloaded, action.getRun());
    }

    @Test
    void formatsSizes() {
        assertEquals("512 B", ActionSupport.humanSize(512));
        assertEquals("1.5 KB", ActionSupport.humanSize(1536));
        assertEquals("2.0 GB", ActionSupport.humanSize(2L * 1024 * 1024 * 1024));
    }
}
