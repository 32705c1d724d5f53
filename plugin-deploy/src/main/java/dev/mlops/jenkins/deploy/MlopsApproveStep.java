package dev.mlops.jenkins.deploy;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code mlopsApprove message: 'Promote churn v7?', approvers: ['alice', 'group:ml-leads'], evidence: [url]}:
 * pauses the build until a listed approver proceeds (the step returns who, when and the evidence) or
 * aborts (the build ends ABORTED). Behaves like Jenkins' {@code input} step: nothing runs while it waits.
 */
public class MlopsApproveStep extends Step {
    private final String message;
    private List<String> approvers = List.of();
    private List<String> evidence = List.of();
    private String id;

    @DataBoundConstructor
    public MlopsApproveStep(String message) {
        this.message = message == null || message.isBlank() ? "Approve?" : message.strip();
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new MlopsApproveStepExecution(this, context);
    }

    public String getMessage() {
        return message;
    }

    public List<String> getApprovers() {
        return approvers;
    }

    /** User ids ({@code alice}) or groups ({@code group:ml-leads}) who may proceed or abort. */
    @DataBoundSetter
    public void setApprovers(List<String> approvers) {
        this.approvers = clean(approvers);
    }

    public List<String> getEvidence() {
        return evidence;
    }

    /** Links the approver should look at (evaluation report, canary dashboard...). */
    @DataBoundSetter
    public void setEvidence(List<String> evidence) {
        this.evidence = clean(evidence);
    }

    public String getId() {
        return id;
    }

    /** Identifies this gate in URLs ({@code <build>/mlops-approval/<id>/}); default derived from the message. */
    @DataBoundSetter
    public void setId(String id) {
        this.id = id == null || id.isBlank() ? null : id.strip();
    }

    /** The id this gate uses: the given one, else one derived from the message (as input does). */
    String effectiveId() {
        if (id != null) {
            return id;
        }
        String slug = message.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (slug.length() > 40) {
            slug = slug.substring(0, 40);
        }
        return (slug.isEmpty() ? "approval" : slug) + "-" + Integer.toHexString(message.hashCode());
    }

    private static List<String> clean(List<String> values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (Object v : values) {
                if (v != null && !v.toString().isBlank()) {
                    out.add(v.toString().strip());
                }
            }
        }
        return List.copyOf(out);
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "mlopsApprove";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Wait for an MLOps approval (listed approvers, evidence links)";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
