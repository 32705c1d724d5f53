package dev.mlops.jenkins.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.AccessDeniedException;
import dev.mlops.jenkins.support.TestBuild;
import dev.mlops.jenkins.support.TestStepContext;
import hudson.AbortException;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.interceptor.RequirePOST;

class MlopsApproveStepTest {
    private static final String REPORT = "https://ci.example/job/churn/7/mlops-evaluation/";

    private TestBuild.TestRun run;
    private TestBuild.LogListener listener;
    private TestStepContext context;

    @BeforeEach
    void setUp() throws Exception {
        run = new TestBuild.TestRun(new TestBuild.TestJob("churn"));
        listener = new TestBuild.LogListener();
        context = new TestStepContext().with(Run.class, run).with(TaskListener.class, listener);
    }

    private MlopsApproveStepExecution started(List<String> approvers) throws Exception {
        MlopsApproveStep step = new MlopsApproveStep("Promote churn v7?");
        step.setApprovers(approvers);
        step.setEvidence(List.of(REPORT));
        step.setId("promote");
        MlopsApproveStepExecution execution = (MlopsApproveStepExecution) step.start(context);
        assertFalse(execution.start(), "start() must return false: the build pauses, no thread is held");
        return execution;
    }

    private ApprovalAction action() {
        return run.getAction(ApprovalAction.class);
    }

    @Test
    void startPausesTheBuildAndCompletesNothing() throws Exception {
        MlopsApproveStepExecution execution = started(List.of("alice", "group:ml-leads"));
        assertFalse(context.isCompleted());
        ApprovalAction action = action();
        assertNotNull(action);
        assertEquals("mlops-approval", action.getUrlName());
        assertEquals(List.of("promote"), action.getIds());
        assertSame(execution, action.getDynamic("promote"));
        assertNotNull(action.getIconFileName(), "shown in the side panel while pending");
        assertTrue(listener.log().contains("Waiting for approval by alice, group:ml-leads; evidence: " + REPORT), listener.log());
    }

    @Test
    void listedUserProceedsAndTheStepReturnsTheApprover() throws Exception {
        MlopsApproveStepExecution execution = started(List.of("alice", "group:ml-leads"));
        execution.proceed("alice", Set.of());
        assertTrue(context.isCompleted());
        assertNull(context.failure());
        Map<?, ?> outcome = assertInstanceOf(Map.class, context.success());
        assertEquals("alice", outcome.get("approver"));
        assertNotNull(outcome.get("at"));
        assertEquals(List.of(REPORT), outcome.get("evidence"));
        ApproverAction approver = run.getAction(ApproverAction.class);
        assertEquals("alice", approver.getUserId());
        assertEquals("approved", approver.getDecision());
        assertTrue(action().getIds().isEmpty());
        assertNull(action().getIconFileName(), "hidden once nothing is pending");
        assertTrue(listener.log().contains("Approved by alice"));
    }

    @Test
    void unlistedUserIsRefusedWithTheApproversNamedAndTheBuildStaysPaused() throws Exception {
        MlopsApproveStepExecution execution = started(List.of("alice", "group:ml-leads"));
        var e = assertThrows(AccessDeniedException.class, () -> execution.proceed("mallory", Set.of("data-eng")));
        assertTrue(e.getMessage().contains("mallory is not an approver; ask one of: alice, group:ml-leads"), e.getMessage());
        assertThrows(AccessDeniedException.class, () -> execution.abort("mallory", Set.of()));
        assertFalse(context.isCompleted());
        assertEquals(List.of("promote"), action().getIds());
        assertNull(run.getAction(ApproverAction.class));
    }

    @Test
    void secondDecisionIsRefused() throws Exception {
        MlopsApproveStepExecution execution = started(List.of("alice", "bob"));
        execution.proceed("alice", Set.of());
        var e = assertThrows(AccessDeniedException.class, () -> execution.abort("bob", Set.of()));
        assertTrue(e.getMessage().contains("already approved by alice at "), e.getMessage());
        assertThrows(AccessDeniedException.class, () -> execution.proceed("bob", Set.of()));
        assertEquals(0, context.laterCompletions());
        assertEquals(1, run.getActions(ApproverAction.class).size());
    }

    @Test
    void abortFailsTheStepWithAbortedInterruption() throws Exception {
        MlopsApproveStepExecution execution = started(List.of("alice"));
        execution.abort("alice", Set.of());
        var failure = assertInstanceOf(FlowInterruptedException.class, context.failure());
        assertEquals(Result.ABORTED, failure.getResult());
        assertEquals("alice", ((MlopsApproveStepExecution.Rejection) failure.getCauses().get(0)).getUser());
        assertTrue(action().getIds().isEmpty());
        assertEquals("aborted", run.getAction(ApproverAction.class).getDecision());
    }

    @Test
    void groupApproverMayProceed() throws Exception {
        MlopsApproveStepExecution execution = started(List.of("alice", "group:ml-leads"));
        execution.proceed("carol", Set.of("data-eng", "ml-leads"));
        assertEquals("carol", ((Map<?, ?>) context.success()).get("approver"));
    }

    @Test
    void stopRemovesThePendingEntryAndFailsTheStep() throws Exception {
        MlopsApproveStepExecution execution = started(List.of("alice"));
        var timeout = new FlowInterruptedException(Result.ABORTED);
        execution.stop(timeout);
        assertSame(timeout, context.failure());
        assertTrue(action().getIds().isEmpty());
        assertNull(action().getDynamic("promote"));
        assertThrows(AccessDeniedException.class, () -> execution.proceed("alice", Set.of()));
    }

    @Test
    void noApproversFailsAtStartAndDuplicateIdsAreRefused() throws Exception {
        MlopsApproveStep step = new MlopsApproveStep("Promote?");
        var e = assertThrows(AbortException.class, () -> step.start(context).start());
        assertTrue(e.getMessage().contains("no approvers"), e.getMessage());
        started(List.of("alice"));
        var dup = assertThrows(AbortException.class, () -> started(List.of("bob")));
        assertTrue(dup.getMessage().contains("'promote' is already waiting"), dup.getMessage());
    }

    @Test
    void descriptorNamesTheStepAndNeedsRunAndListener() {
        var descriptor = new MlopsApproveStep.DescriptorImpl();
        assertEquals("mlopsApprove", descriptor.getFunctionName());
        assertEquals(Set.of(Run.class, TaskListener.class), descriptor.getRequiredContext());
    }

    @Test
    void decisionEndpointsRequirePost() throws Exception {
        for (String name : List.of("doProceed", "doAbort")) {
            Method m = MlopsApproveStepExecution.class.getMethod(name, StaplerRequest2.class);
            assertTrue(m.isAnnotationPresent(RequirePOST.class), name);
        }
    }
}
