package dev.mlops.jenkins.deploy;

import dev.mlops.deploy.ApprovalGate;
import dev.mlops.deploy.ListedApprovers;
import dev.mlops.deploy.RolloutPlan;
import dev.mlops.deploy.RolloutStatus;
import dev.mlops.error.AccessDeniedException;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * Pauses the build like Jenkins' input step: {@link #start()} registers this gate on the run's
 * {@link ApprovalAction} and returns false (no thread held); the first allowed decision settles it.
 * The decision logic ({@link #proceed}, {@link #abort}) takes the user id and groups, so it is testable
 * without Stapler; {@link #doProceed}/{@link #doAbort} are the POST-only web endpoints around it.
 */
public class MlopsApproveStepExecution extends AbstractStepExecutionImpl {
    static final String WAITING = "Waiting for approval by %s; evidence: %s";
    static final String NO_APPROVERS = "mlopsApprove '%s': no approvers; give approvers: ['alice', 'group:ml-leads']";
    static final String ALREADY = "mlopsApprove '%s' was already %s by %s at %s; the first decision settles a gate";

    private static final ApprovalGate GATE = new ListedApprovers();

    private final String id;
    private final String message;
    private final ArrayList<String> approvers;
    private final ArrayList<String> evidence;
    private Decision decision;

    MlopsApproveStepExecution(MlopsApproveStep step, StepContext context) {
        super(context);
        this.id = step.effectiveId();
        this.message = step.getMessage();
        this.approvers = new ArrayList<>(step.getApprovers());
        this.evidence = new ArrayList<>(step.getEvidence());
    }

    @Override
    public boolean start() throws Exception {
        if (approvers.isEmpty()) {
            throw new AbortException(String.format(NO_APPROVERS, id));
        }
        RolloutPlan.standard(approvers); // rejects blank entries with core's message
        Run<?, ?> run = getContext().get(Run.class);
        TaskListener listener = getContext().get(TaskListener.class);
        ApprovalAction action = run.getAction(ApprovalAction.class);
        if (action == null) {
            action = new ApprovalAction();
            run.addAction(action);
        }
        action.add(this);
        listener.getLogger().println(message);
        listener.getLogger().println(String.format(WAITING, String.join(", ", approvers),
                evidence.isEmpty() ? "none" : String.join(", ", evidence)));
        listener.getLogger().println("Proceed or abort (POST) at " + run.getUrl() + ApprovalAction.URL_NAME + "/" + id + "/");
        return false;
    }

    /**
     * Refuses unless the gate is still pending and {@code user} (or one of {@code groups}) is a listed
     * approver; the refusal names who may approve (core's {@link ListedApprovers}).
     */
    public synchronized void checkMayDecide(String user, Set<String> groups, String action) throws IOException, InterruptedException {
        if (decision != null) {
            throw new AccessDeniedException(String.format(ALREADY, id, decision.verb, decision.user, decision.at));
        }
        Run<?, ?> run = getContext().get(Run.class);
        RolloutStatus status = RolloutStatus.begin(id, run.getParent().getFullName(), run.getNumber(), null,
                RolloutPlan.standard(approvers), Instant.now());
        GATE.checkMayDecide(status, user == null || user.isBlank() ? "anonymous" : user, groups == null ? Set.of() : groups, action);
    }

    /** {@code user} approves: records an {@link ApproverAction}, unpauses, and the step returns approver, at, evidence. */
    public Map<String, Object> proceed(String user, Set<String> groups) throws IOException, InterruptedException {
        Map<String, Object> outcome;
        synchronized (this) {
            checkMayDecide(user, groups, "approve");
            decision = new Decision("approved", user, Instant.now().toString());
            outcome = new LinkedHashMap<>();
            outcome.put("approver", user);
            outcome.put("at", decision.at);
            outcome.put("evidence", List.copyOf(evidence));
        }
        Run<?, ?> run = getContext().get(Run.class);
        run.addAction(new ApproverAction(id, user, decision.verb, decision.at, evidence));
        getContext().get(TaskListener.class).getLogger().println("Approved by " + user);
        settle();
        getContext().onSuccess(outcome);
        return outcome;
    }

    /** {@code user} aborts: the build ends ABORTED, as when input's Abort is pressed. */
    public void abort(String user, Set<String> groups) throws IOException, InterruptedException {
        synchronized (this) {
            checkMayDecide(user, groups, "abort");
            decision = new Decision("aborted", user, Instant.now().toString());
        }
        getContext().get(Run.class).addAction(new ApproverAction(id, user, decision.verb, decision.at, evidence));
        getContext().get(TaskListener.class).getLogger().println("Aborted by " + user);
        settle();
        getContext().onFailure(new FlowInterruptedException(Result.ABORTED, new Rejection(user, decision.at)));
    }

    /**
     * From outside (a surrounding {@code timeout}, build abort): drop the pending entry, then fail.
     * Unlike input, the clean-up runs inline, not on jenkins.util.Timer (no Timer stub here); it only
     * edits an in-memory list and saves the build.
     */
    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
        synchronized (this) {
            if (decision == null) {
                decision = new Decision("stopped", "the build", Instant.now().toString());
            }
        }
        try {
            settle();
        } finally {
            super.stop(cause);
        }
    }

    private void settle() throws IOException, InterruptedException {
        Run<?, ?> run = getContext().get(Run.class);
        ApprovalAction action = run == null ? null : run.getAction(ApprovalAction.class);
        if (action != null) {
            action.remove(this);
        }
    }

    @RequirePOST
    public HttpResponse doProceed(StaplerRequest2 req) throws IOException, InterruptedException {
        try {
            proceed(req.getRemoteUser(), groupsOf(req));
            return new Reply(0, null);
        } catch (AccessDeniedException e) {
            return forbidden(e);
        }
    }

    @RequirePOST
    public HttpResponse doAbort(StaplerRequest2 req) throws IOException, InterruptedException {
        try {
            abort(req.getRemoteUser(), groupsOf(req));
            return new Reply(0, null);
        } catch (AccessDeniedException e) {
            return forbidden(e);
        }
    }

    /** The listed groups the caller is in (Jenkins' request wrapper answers isUserInRole from the user's authorities). */
    private Set<String> groupsOf(StaplerRequest2 req) {
        Set<String> groups = new LinkedHashSet<>();
        for (String entry : approvers) {
            if (entry.startsWith("group:") && req.isUserInRole(entry.substring("group:".length()))) {
                groups.add(entry.substring("group:".length()));
            }
        }
        return groups;
    }

    private static HttpResponse forbidden(AccessDeniedException e) {
        return new Reply(HttpServletResponse.SC_FORBIDDEN, e.getMessage());
    }

    public String getId() {
        return id;
    }

    public String getMessage() {
        return message;
    }

    public List<String> getApprovers() {
        return List.copyOf(approvers);
    }

    public List<String> getEvidence() {
        return List.copyOf(evidence);
    }

    public synchronized boolean isSettled() {
        return decision != null;
    }

    @Override
    public String getStatus() {
        Decision d = decision;
        return d == null ? "waiting for approval by " + String.join(", ", approvers) : d.verb + " by " + d.user;
    }

    /**
     * The endpoints' answer: 0 = redirect to the console (decision taken), else that error status and text.
     * A class, not a lambda: the real HttpResponse has two default generateResponse methods (javax and jakarta).
     */
    private static final class Reply implements HttpResponse {
        private final int status;
        private final String text;

        Reply(int status, String text) {
            this.status = status;
            this.text = text;
        }

        @Override
        public void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node) throws IOException {
            if (status == 0) {
                rsp.sendRedirect("../../console");
            } else {
                rsp.sendError(status, text);
            }
        }
    }

    private record Decision(String verb, String user, String at) implements Serializable {
    }

    /** Why the build was aborted: who rejected the gate, and when. */
    public static final class Rejection extends CauseOfInterruption {
        private final String user;
        private final String at;

        public Rejection(String user, String at) {
            this.user = user;
            this.at = at;
        }

        public String getUser() {
            return user;
        }

        @Override
        public String getShortDescription() {
            return "Rejected by " + user + " at " + at;
        }

        private static final long serialVersionUID = 1L;
    }

    private static final long serialVersionUID = 1L;
}
