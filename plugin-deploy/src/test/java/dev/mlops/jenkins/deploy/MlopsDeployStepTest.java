package dev.mlops.jenkins.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.deploy.ListedApprovers;
import dev.mlops.deploy.RolloutEvent;
import dev.mlops.deploy.RolloutPlan;
import dev.mlops.deploy.RolloutState;
import dev.mlops.deploy.RolloutStatus;
import dev.mlops.deploy.RolloutStore;
import dev.mlops.deploy.Rollouts;
import dev.mlops.evaluate.Outcome;
import dev.mlops.jenkins.support.TestBuild;
import dev.mlops.jenkins.support.TestStepContext;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.storage.ArtifactStores;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native step over a test StepContext, with core's real rollout store and a real local registry in a temp folder. */
class MlopsDeployStepTest {
    @TempDir
    Path workspace;
    EnvVars env;
    TestBuild.TestRun run;
    TestBuild.LogListener listener;

    @BeforeEach
    void setUp() throws Exception {
        env = new EnvVars("MLOPS_REGISTRY", workspace.resolve("registry").toString(), "BUILD_URL", "https://ci.example.com/job/churn/7/");
        run = new TestBuild.TestRun(new TestBuild.TestJob("churn"), workspace.resolve("build").toFile());
        listener = new TestBuild.LogListener();
    }

    TestStepContext start(Map<String, Object> args) throws Exception {
        TestStepContext context = new TestStepContext().with(FilePath.class, new FilePath(workspace.toFile())).with(EnvVars.class, env)
                .with(TaskListener.class, listener).with(Run.class, run);
        new MlopsDeployStep.DescriptorImpl().checkContextAvailability(context);
        MlopsDeployStep step = (MlopsDeployStep) new MlopsDeployStep.DescriptorImpl().newInstance(args);
        assertFalse(step.start(context).start());
        assertTrue(context.isCompleted());
        return context;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> ok(Map<String, Object> args) throws Exception {
        TestStepContext context = start(args);
        assertNull(context.failure(), () -> String.valueOf(context.failure()));
        return (Map<String, Object>) context.success();
    }

    String failure(Map<String, Object> args) throws Exception {
        TestStepContext context = start(args);
        return assertInstanceOf(AbortException.class, context.failure()).getMessage();
    }

    /** A rollout of churn:4 replacing 3, saved by core as the CLI would have left it. */
    RolloutStatus rollout(RolloutState state) {
        Clock clock = Clock.systemUTC();
        try (ModelRegistry registry = new ModelRegistry(ArtifactStores.open(env.get("MLOPS_REGISTRY"), workspace, env), clock)) {
            RolloutStore store = new RolloutStore(workspace.resolve(".mlops/rollouts"));
            RolloutStatus s = store.save(RolloutStatus.begin("v4-1", "churn", 4, 3, RolloutPlan.standard(List.of("alice")), Instant.now()));
            if (state == RolloutState.AWAITING_APPROVAL) {
                Rollouts rollouts = new Rollouts(registry, store, new ListedApprovers(), clock);
                Caller jenkins = new Caller("jenkins", null);
                rollouts.apply("churn", s.id(), new RolloutEvent.StagingDeployed("jenkins", "http://127.0.0.1:8090"), jenkins);
                rollouts.apply("churn", s.id(), new RolloutEvent.SmokeResult("jenkins", Outcome.PASS, List.of(), List.of()), jenkins);
                return rollouts.apply("churn", s.id(), new RolloutEvent.ApprovalRequested("jenkins"), jenkins);
            }
            return store.save(new RolloutStatus(s.schema(), s.id(), s.model(), s.candidate(), s.previous(), s.plan(), state, 1, null, null,
                    null, s.createdAt(), s.updatedAt(), List.of(new RolloutStatus.Transition(Instant.now(), "canary-step-analysed", "jenkins",
                    RolloutState.CANARY, state, 1, "canary FAIL at 50%: error rate 0.08 > 0.01", List.of()))));
        }
    }

    @Test
    void badArgumentsAreAllReportedBeforeAnythingRuns() throws Exception {
        String message = failure(Map.of("action", "launch", "model", "churn", "rows", 0));

        assertTrue(message.startsWith("mlopsDeploy: action: must be one of staging, smoke, approve, canary, resume, abort, rollback, status; "
                + "got 'launch'"), message);
        assertTrue(message.contains("rows: 0 is below 1"), message);
        assertTrue(failure(Map.of("action", "staging", "model", "churn")).contains("version: required for action 'staging'"));
        assertTrue(run.getActions(RolloutAction.class).isEmpty());
    }

    @Test
    void statusWithoutRolloutsReturnsNoStateAndShowsAPage() throws Exception {
        Map<String, Object> r = ok(Map.of("action", "status", "model", "churn"));

        assertEquals("mlops.deploy-step/v1", r.get("schema"));
        assertNull(r.get("state"));
        assertEquals("mlops-rollout", run.getAction(RolloutAction.class).getUrlName());
    }

    @Test
    void stagingWithoutACliToServeNamesTheFixAndStartsNoRollout() throws Exception {
        String message = failure(Map.of("action", "staging", "model", "churn", "version", 4));

        assertTrue(message.contains("set MLOPS_CLI to the command that runs it"), message);
        assertTrue(new RolloutStore(workspace.resolve(".mlops/rollouts")).latest("churn").isEmpty());
    }

    @Test
    void aListedApproverApprovesTheLiveRolloutAndAnyoneElseIsRefusedWithWhoMay() throws Exception {
        rollout(RolloutState.AWAITING_APPROVAL);

        String refused = failure(Map.of("action", "approve", "model", "churn", "approver", "mallory"));
        Map<String, Object> r = ok(Map.of("action", "approve", "model", "churn", "approver", "alice",
                "evidence", List.of("https://ci.example.com/job/churn/7/")));

        assertTrue(refused.contains("mallory is not an approver; ask one of: alice"), refused);
        assertEquals("APPROVED", r.get("state"));
        assertEquals("alice", r.get("approvedBy"));
        assertEquals(4, r.get("version"));
    }

    @Test
    void aRollbackAfterTheCanaryRolledBackMovesNothing() throws Exception {
        rollout(RolloutState.ROLLED_BACK);

        Map<String, Object> r = ok(Map.of("action", "rollback", "model", "churn", "version", 4, "reason", "canary failed"));

        assertEquals(false, r.get("rolledBack"));
        assertEquals("ROLLED_BACK", r.get("state"));
        assertEquals(Result.SUCCESS, run.getResult() == null ? Result.SUCCESS : run.getResult());
        assertNotNull(run.getAction(RolloutAction.class));
    }

    @Test
    void aPausedRolloutsStatusIsReportedWithItsCanaryWeight() throws Exception {
        rollout(RolloutState.PAUSED_INCONCLUSIVE);

        Map<String, Object> r = ok(Map.of("action", "status", "model", "churn"));

        assertEquals("INCONCLUSIVE", r.get("outcome"));
        assertEquals("canary FAIL at 50%: error rate 0.08 > 0.01", r.get("why"));
    }
}
