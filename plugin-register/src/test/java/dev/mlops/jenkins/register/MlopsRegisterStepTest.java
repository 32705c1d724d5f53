package dev.mlops.jenkins.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mlops.jenkins.support.TestBuild.LogListener;
import dev.mlops.jenkins.support.TestBuild.TestJob;
import dev.mlops.jenkins.support.TestBuild.TestRun;
import dev.mlops.jenkins.support.TestStepContext;
import dev.mlops.json.Json;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real step execution over a test StepContext: a real temp-folder workspace
 * (local FilePath), a local registry folder, a stub Run and an in-memory build log.
 */
class MlopsRegisterStepTest {
    private static final String BUILD_URL = "https://ci.example.com/job/train/7/";
    private static final String FAKE_SECRET = "RkFLRS1LRVktZm9yLXRlc3RzLW9ubHk=";
    private static final String FAKE_CONNECTION_STRING = "DefaultEndpointsProtocol=https;AccountName=fakeacct;AccountKey="
            + FAKE_SECRET + ";EndpointSuffix=core.windows.net";

    @TempDir
    Path tmp;

    private Path workspace;
    private EnvVars env;
    private TestRun run;
    private LogListener listener;

    @BeforeEach
    void setUp() throws Exception {
        workspace = Files.createDirectories(tmp.resolve("ws"));
        env = new EnvVars(
                "MLOPS_REGISTRY", tmp.resolve("registry").toString(),
                "JENKINS_URL", "https://ci.example.com/",
                "BUILD_URL", BUILD_URL,
                "JOB_NAME", "train",
                "BUILD_NUMBER", "7");
        run = new TestRun(new TestJob("train"));
        listener = new LogListener();
        Files.writeString(workspace.resolve("model.bin"), "weights v1");
    }

    private TestStepContext context() {
        return new TestStepContext()
                .with(FilePath.class, new FilePath(workspace.toFile()))
                .with(EnvVars.class, env)
                .with(TaskListener.class, listener)
                .with(Run.class, run);
    }

    /** Binds the arguments as Pipeline would, through the descriptor. */
    private static MlopsRegisterStep step(Map<String, Object> args) throws Exception {
        return (MlopsRegisterStep) new MlopsRegisterStep.DescriptorImpl().newInstance(args);
    }

    private TestStepContext start(Map<String, Object> args) throws Exception {
        TestStepContext context = context();
        new MlopsRegisterStep.DescriptorImpl().checkContextAvailability(context);
        boolean synchronous = step(args).start(context).start();
        assertFalse(synchronous, "a SynchronousNonBlockingStepExecution reports through the context");
        assertTrue(context.isCompleted(), "the step neither succeeded nor failed");
        return context;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> register(Map<String, Object> args) throws Exception {
        TestStepContext context = start(args);
        if (context.failure() != null) {
            fail("step failed: " + context.failure());
        }
        return (Map<String, Object>) context.success();
    }

    private AbortException registerFailing(Map<String, Object> args) throws Exception {
        TestStepContext context = start(args);
        assertNull(context.success());
        return assertInstanceOf(AbortException.class, context.failure());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> map, String key) {
        return (Map<String, Object>) map.get(key);
    }

    @Test
    void registersModelFileAsVersionOneWithBuildLineage() throws Exception {
        Map<String, Object> doc = register(Map.of("model", "churn", "path", "model.bin", "metrics", Map.of("auc", 0.91)));

        assertEquals("mlops.version/v1", doc.get("schema"));
        assertEquals("churn", doc.get("model"));
        assertEquals(1, doc.get("version"));
        assertEquals("churn:1", doc.get("ref"));
        assertEquals(0.91, ((Number) child(doc, "metrics").get("auc")).doubleValue());
        assertEquals(BUILD_URL, child(child(doc, "lineage"), "build").get("url"));
        assertEquals(tmp.resolve("registry").toUri().toString(), doc.get("registry"));
        List<?> files = (List<?>) doc.get("files");
        assertEquals(1, files.size());
        assertTrue(listener.log().contains("Registered churn:1 in " + tmp.resolve("registry").toUri()), listener.log());
    }

    @Test
    void secondRegistrationIsVersionTwoAndAliasPointsAtIt() throws Exception {
        register(Map.of("model", "churn", "path", "model.bin"));
        Files.writeString(workspace.resolve("model.bin"), "weights v2");

        Map<String, Object> doc = register(Map.of("model", "churn", "path", "model.bin", "alias", "staging",
                "reason", "better auc"));

        assertEquals(2, doc.get("version"));
        assertEquals(List.of("staging"), doc.get("aliases"));
    }

    @Test
    void attachesOneActionPerRegisteredVersionWithUniqueUrls() throws Exception {
        register(Map.of("model", "churn", "path", "model.bin"));
        register(Map.of("model", "churn", "paths", List.of("model.bin"), "alias", "staging"));

        List<RegisteredModelAction> actions = run.getActions(RegisteredModelAction.class);
        assertEquals(2, actions.size());
        RegisteredModelAction first = actions.get(0);
        RegisteredModelAction second = actions.get(1);
        assertEquals("churn:1", first.getRef());
        assertEquals("churn:2", second.getRef());
        assertEquals("Model churn:2", second.getDisplayName());
        assertEquals(List.of("staging"), second.getAliases());
        assertNotEquals(first.getUrlName(), second.getUrlName());
        assertEquals("mlops-model-churn-2", second.getUrlName());
        assertSame(run, second.getRun(), "onAttached must set the run");
        assertEquals(BUILD_URL, second.getBuildUrl());
        assertEquals(1, second.getFiles().size());
        assertEquals(64, second.getFiles().get(0).getSha256().length());
    }

    @Test
    void recordsDatasetFingerprintsAndGitLineage() throws Exception {
        Files.writeString(workspace.resolve("train.csv"), "x,y\n1,2\n3,4\n");
        RevCommit commit;
        try (Git git = Git.init().setDirectory(workspace.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern("train.csv").addFilepattern("model.bin").call();
            PersonIdent who = new PersonIdent("Test", "test@example.com");
            commit = git.commit().setMessage("data").setAuthor(who).setCommitter(who).call();
        }

        register(Map.of("model", "churn", "path", "model.bin", "datasets", List.of("train.csv")));

        RegisteredModelAction action = run.getAction(RegisteredModelAction.class);
        assertEquals(commit.getName(), action.getGitCommit());
        assertEquals("main", action.getGitBranch());
        assertEquals(Boolean.FALSE, action.getGitDirty(), "everything is committed");
        assertEquals(1, action.getDatasets().size());
        assertEquals("train.csv", action.getDatasets().get(0).getPath());
        assertEquals(2L, action.getDatasets().get(0).getRows());
    }

    @Test
    void invalidModelNameFailsNamingTheModelArgument() throws Exception {
        AbortException failure = registerFailing(Map.of("model", "../x", "path", "model.bin"));

        assertTrue(failure.getMessage().startsWith("mlopsRegister: model: '../x'"), failure.getMessage());
        assertTrue(run.getActions(RegisteredModelAction.class).isEmpty());
    }

    @Test
    void missingFileFailsNamingTheFile() throws Exception {
        AbortException failure = registerFailing(Map.of("model", "churn", "path", "nope.bin"));

        assertTrue(failure.getMessage().startsWith("mlopsRegister: files:"), failure.getMessage());
        assertTrue(failure.getMessage().contains("nope.bin"), failure.getMessage());
    }

    @Test
    void nonNumericMetricFailsNamingTheMetric() throws Exception {
        AbortException failure = registerFailing(Map.of("model", "churn", "path", "model.bin", "metrics", Map.of("acc", "abc")));

        assertTrue(failure.getMessage().startsWith("mlopsRegister: metrics.acc:"), failure.getMessage());
        assertTrue(failure.getMessage().contains("abc"), failure.getMessage());
    }

    @Test
    void numericStringsAndGroovyStyleValuesAreAccepted() throws Exception {
        Map<String, Object> metrics = new HashMap<>();
        metrics.put("auc", "0.9");
        metrics.put("loss", new java.math.BigDecimal("0.25"));
        Map<String, Object> doc = register(Map.of("model", "churn", "path", "model.bin", "metrics", metrics,
                "params", Map.of("epochs", 20), "tags", Map.of("team", "risk")));

        assertEquals(0.25, ((Number) child(doc, "metrics").get("loss")).doubleValue());
        assertEquals("20", child(doc, "params").get("epochs"));
        assertEquals("risk", child(doc, "tags").get("team"));
    }

    @Test
    void logAndResultNeverContainTheStorageConnectionString() throws Exception {
        env.put("AZURE_STORAGE_CONNECTION_STRING", FAKE_CONNECTION_STRING);

        Map<String, Object> doc = register(Map.of("model", "churn", "path", "model.bin"));
        AbortException failure = registerFailing(Map.of("model", "churn", "path", "nope.bin"));

        String everything = listener.log() + "\n" + Json.toString(doc) + "\n" + failure.getMessage();
        assertFalse(everything.contains(FAKE_SECRET), everything);
        assertFalse(everything.contains("fakeacct"), everything);
        RegisteredModelAction action = run.getAction(RegisteredModelAction.class);
        assertNotNull(action);
        assertFalse(String.valueOf(action.getRegistry()).contains(FAKE_SECRET));
    }

    @Test
    void largeUploadsReportProgressInTenPercentSteps() throws Exception {
        byte[] big = new byte[6 * 1024 * 1024];
        new java.util.Random(1).nextBytes(big);
        Files.write(workspace.resolve("big.bin"), big);

        register(Map.of("model", "big", "path", "big.bin"));

        String log = listener.log();
        assertTrue(log.contains("mlopsRegister: uploading big.bin (6.0 MB)"), log);
        assertTrue(log.contains("mlopsRegister: big.bin 50%"), log);
        assertTrue(log.contains("mlopsRegister: big.bin 100% (6.0 MB of 6.0 MB)"), log);
    }
}
