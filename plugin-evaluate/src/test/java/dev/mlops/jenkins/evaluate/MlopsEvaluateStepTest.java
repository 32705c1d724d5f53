package dev.mlops.jenkins.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mlops.jenkins.support.TestBuild.LogListener;
import dev.mlops.jenkins.support.TestBuild.TestJob;
import dev.mlops.jenkins.support.TestBuild.TestRun;
import dev.mlops.jenkins.support.TestStepContext;
import dev.mlops.registry.Registration;
import dev.mlops.storage.TransferListener;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real step execution over a test StepContext: a real temp-folder workspace (local
 * FilePath) holding real models trained by the built-in trainer, a local registry folder, a stub
 * Run with a real build directory and an in-memory build log.
 */
class MlopsEvaluateStepTest {
    @TempDir
    static Path shared;
    static Path good;
    static Path bad;

    @TempDir
    Path tmp;

    private Path workspace;
    private Path registry;
    private EnvVars env;
    private TestRun run;
    private LogListener listener;

    @BeforeAll
    static void trainModels() {
        good = Models.train(Models.write(shared.resolve("good/train.csv"), Models.rows(600, 1, false)), shared.resolve("good/model"));
        bad = Models.train(Models.write(shared.resolve("bad/train.csv"), Models.rows(600, 2, true)), shared.resolve("bad/model"));
    }

    @BeforeEach
    void setUp() throws Exception {
        workspace = Files.createDirectories(tmp.resolve("ws"));
        registry = tmp.resolve("registry");
        env = new EvalVars(registry);
        run = new TestRun(new TestJob("churn"), Files.createDirectories(tmp.resolve("builds/7")).toFile());
        listener = new LogListener();
        Models.copy(good, workspace.resolve("models/good"));
        Models.copy(good, workspace.resolve("models/good-again"));
        Models.copy(bad, workspace.resolve("models/bad"));
        Models.write(workspace.resolve("data/holdout.csv"), Models.rows(500, 3, false));
    }

    /** The environment a build has on the agent, with the registry set the way teams set it. */
    static final class EvalVars extends EnvVars {
        EvalVars(Path registry) {
            super("MLOPS_REGISTRY", registry.toString(), "BUILD_URL", "https://ci.example.com/job/churn/7/",
                    "JOB_NAME", "churn", "BUILD_NUMBER", "7");
        }

        private static final long serialVersionUID = 1L;
    }

    private TestStepContext context() {
        return new TestStepContext()
                .with(FilePath.class, new FilePath(workspace.toFile()))
                .with(EnvVars.class, env)
                .with(TaskListener.class, listener)
                .with(Run.class, run);
    }

    private static MlopsEvaluateStep step(Map<String, Object> args) throws Exception {
        return (MlopsEvaluateStep) new MlopsEvaluateStep.DescriptorImpl().newInstance(args);
    }

    private TestStepContext start(Map<String, Object> args) throws Exception {
        TestStepContext context = context();
        new MlopsEvaluateStep.DescriptorImpl().checkContextAvailability(context);
        assertFalse(step(args).start(context).start());
        assertTrue(context.isCompleted(), "the step neither succeeded nor failed");
        return context;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> evaluate(Map<String, Object> args) throws Exception {
        TestStepContext context = start(args);
        if (context.failure() != null) {
            fail("step failed: " + context.failure() + "\n" + listener.log());
        }
        return (Map<String, Object>) context.success();
    }

    private AbortException evaluateFailing(Map<String, Object> args) throws Exception {
        TestStepContext context = start(args);
        assertNull(context.success());
        return assertInstanceOf(AbortException.class, context.failure());
    }

    private static Map<String, Object> args(String candidate, Object... more) {
        Map<String, Object> args = new HashMap<>();
        args.put("candidate", candidate);
        args.put("holdout", "data/holdout.csv");
        for (int i = 0; i < more.length; i += 2) {
            args.put((String) more[i], more[i + 1]);
        }
        return args;
    }

    /** Registers the good model as churn:1 and points production at it. */
    private void goodModelInProduction() {
        Registration.registerDocument(new Registration.Input(null, "churn", List.of("models/good"), "djl-mlp", null,
                Map.of(), Map.of(), Map.of(), List.of(), "production", "test", null), workspace, env, Clock.systemUTC(),
                TransferListener.NONE);
    }

    @Test
    void theFirstModelPassesByPolicyAndTheReportIsKeptWithTheBuild() throws Exception {
        Map<String, Object> summary = evaluate(args("models/good", "model", "churn", "slices", List.of("region")));

        assertEquals("mlops.evaluation-summary/v1", summary.get("schema"));
        assertEquals("PASS", summary.get("outcome"));
        assertEquals(Boolean.TRUE, summary.get("firstModel"));
        assertNull(summary.get("baseline"));
        assertEquals(500, summary.get("rows"));
        assertTrue(((Map<?, ?>) summary.get("candidateMetrics")).containsKey("accuracy"));
        assertEquals("job/churn/1/mlops-evaluation/", summary.get("reportUrl"));
        Path agentReport = Path.of((String) summary.get("report"));
        assertEquals(workspace.resolve(".mlops/reports/evaluation/evaluation.html"), agentReport);
        assertNull(run.getResult(), "PASS leaves the build result alone");

        EvaluationReportAction action = run.getAction(EvaluationReportAction.class);
        assertSame(run, action.getRun());
        assertEquals("Model evaluation: PASS", action.getDisplayName());
        assertEquals("mlops-evaluation", action.getUrlName());
        Path kept = tmp.resolve("builds/7/mlops-evaluation/1");
        assertEquals(Files.readString(agentReport), Files.readString(kept.resolve("evaluation.html")));
        assertTrue(Files.isRegularFile(kept.resolve("evaluation.json")));

        FakeResponse page = FakeResponse.of(action.doReport());
        assertEquals(200, page.status);
        assertEquals("text/html;charset=UTF-8", page.contentType);
        assertTrue(page.headers.get("Content-Security-Policy").startsWith("sandbox; default-src 'none'"));
        assertTrue(page.body.toString().contains("<html"), page.body.toString().substring(0, 200));
        assertFalse(page.body.toString().toLowerCase(java.util.Locale.ROOT).contains("<script"), "the report has no scripts");
        FakeResponse json = FakeResponse.of(action.doJson());
        assertTrue(json.body.toString().contains("\"schema\" : \"mlops.evaluation/v1\""), json.body.toString().substring(0, 100));

        String log = listener.log();
        assertTrue(log.contains("mlopsEvaluate: PASS: first model: no baseline, passed by policy (candidate models/good against no baseline: first model)"), log);
        assertTrue(log.contains("mlopsEvaluate: report job/churn/1/mlops-evaluation/"), log);
    }

    @Test
    void aWorseCandidateAgainstProductionFailsTheBuildAfterAttachingTheReport() throws Exception {
        goodModelInProduction();

        AbortException e = evaluateFailing(args("models/bad", "model", "churn"));

        assertTrue(e.getMessage().startsWith("mlopsEvaluate: FAIL: "), e.getMessage());
        assertTrue(e.getMessage().contains("accuracy"), "core's reason names the metric: " + e.getMessage());
        assertTrue(e.getMessage().endsWith("; report: job/churn/1/mlops-evaluation/"), e.getMessage());
        assertEquals(Result.FAILURE, run.getResult());
        EvaluationReportAction action = run.getAction(EvaluationReportAction.class);
        assertEquals("FAIL", action.getOutcome());
        assertEquals("churn:1 (@production)", action.getBaseline());
        assertFalse(action.isFirstModel());
        EvaluationReportAction.MetricRow accuracy = action.getMetricRows().stream()
                .filter(r -> r.getName().equals("accuracy")).findFirst().orElseThrow();
        assertTrue(accuracy.getDelta().startsWith("-"), accuracy.getDelta());
        assertEquals(200, FakeResponse.of(action.doReport()).status);
    }

    @Test
    void theSameModelAgainIsInconclusiveAndMakesTheBuildUnstableForAPersonToDecide() throws Exception {
        Map<String, Object> summary = evaluate(args("models/good", "baseline", "models/good-again"));

        assertEquals("INCONCLUSIVE", summary.get("outcome"));
        assertEquals("models/good-again", summary.get("baseline"));
        assertEquals(Result.UNSTABLE, run.getResult());
        assertTrue(listener.log().contains("the build is UNSTABLE and a person must decide"), listener.log());
        EvaluationReportAction action = run.getAction(EvaluationReportAction.class);
        assertTrue(action.isNeedsDecision());
        assertEquals("+0.0000", action.getMetricRows().get(0).getDelta());
    }

    @Test
    void failOnInconclusiveFailsTheBuildInstead() throws Exception {
        AbortException e = evaluateFailing(args("models/good", "baseline", "models/good-again", "failOnInconclusive", true));

        assertTrue(e.getMessage().startsWith("mlopsEvaluate: INCONCLUSIVE: "), e.getMessage());
        assertTrue(e.getMessage().contains(" (failOnInconclusive: true); report: job/churn/1/mlops-evaluation/"), e.getMessage());
        assertEquals(Result.FAILURE, run.getResult());
        assertEquals(1, run.getActions(EvaluationReportAction.class).size());
    }

    @Test
    void aGateThatCannotDecideIsAnErrorAndFailsTheBuild() throws Exception {
        // every holdout row has the same label: ROC AUC is undefined, so the gate cannot decide
        Models.write(workspace.resolve("data/one-class.csv"), Models.HEADER + "\n" + "41.0,50000.0,3.0,north,yes\n".repeat(40));
        Models.write(workspace.resolve("gate.json"), "{\"gate\": {\"metrics\": [{\"name\": \"roc_auc\"}]}}");

        TestStepContext context = start(args("models/good", "baseline", "models/good-again", "holdout", "data/one-class.csv",
                "gate", "gate.json"));

        AbortException e = assertInstanceOf(AbortException.class, context.failure(), String.valueOf(context.failure()));
        assertTrue(e.getMessage().startsWith("mlopsEvaluate: ERROR: "), e.getMessage());
        assertEquals(Result.FAILURE, run.getResult());
        assertEquals("ERROR", run.getAction(EvaluationReportAction.class).getOutcome());
    }

    @Test
    void aSecondEvaluationInTheSameBuildGetsItsOwnPageAndFolder() throws Exception {
        evaluate(args("models/good", "baseline", "none"));
        Map<String, Object> second = evaluate(args("models/good", "baseline", "none", "reportDir", "reports/again"));

        List<EvaluationReportAction> actions = run.getActions(EvaluationReportAction.class);
        assertEquals(List.of("mlops-evaluation", "mlops-evaluation-2"), actions.stream().map(EvaluationReportAction::getUrlName).toList());
        assertEquals("Model evaluation 2: PASS", actions.get(1).getDisplayName());
        assertEquals("job/churn/1/mlops-evaluation-2/", second.get("reportUrl"));
        assertTrue(Files.isRegularFile(tmp.resolve("builds/7/mlops-evaluation/2/evaluation.html")));
        assertTrue(Files.isRegularFile(workspace.resolve("reports/again/evaluation.json")));
    }

    @Test
    void aMissingHoldoutFailsInOneLineAndAttachesNothing() throws Exception {
        AbortException e = evaluateFailing(args("models/good", "holdout", "data/nope.csv", "baseline", "none"));

        assertTrue(e.getMessage().startsWith("mlopsEvaluate: "), e.getMessage());
        assertTrue(e.getMessage().contains("nope.csv"), e.getMessage());
        assertTrue(run.getActions(EvaluationReportAction.class).isEmpty());
        assertNull(run.getResult());
    }

    @Test
    void anUnknownCandidateIsNamed() throws Exception {
        AbortException e = evaluateFailing(args("churn:9", "baseline", "none"));

        assertTrue(e.getMessage().startsWith("mlopsEvaluate: "), e.getMessage());
        assertTrue(e.getMessage().contains("churn"), e.getMessage());
    }
}
