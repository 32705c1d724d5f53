package dev.mlops.jenkins.deploy;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code mlopsDeploy}: one action of a model's staged rollout, run on the agent by core's rollout engine
 * (the same as {@code mlops deploy}), e.g.
 * <pre>{@code
 * node('model-server') { ws('/srv/mlops/churn') {
 *     withCredentials([string(credentialsId: 'mlops-admin-token', variable: 'MLOPS_ADMIN_TOKEN')]) {
 *         def c = mlopsDeploy action: 'canary', model: 'churn', approver: decision.approver
 *     }
 * } }
 * }</pre>
 * A canary that rolls back fails the build after the log says where traffic went; a paused one makes it UNSTABLE.
 */
public class MlopsDeployStep extends Step {
    private final String action;
    private final String model;
    private Integer version;
    private Integer port;
    private List<String> approvers;
    private String holdout;
    private String label;
    private int rows = 100;
    private String approver;
    private List<String> groups;
    private List<String> evidence;
    private double stepSeconds = 60;
    private String traffic;
    private double rps = 100;
    private String reason;
    private Integer to;
    private String registry;
    private String deployments;

    @DataBoundConstructor
    public MlopsDeployStep(String action, String model) {
        this.action = blankToNull(action);
        this.model = blankToNull(model);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new MlopsDeployStepExecution(this, context);
    }

    DeployArgs toArgs() {
        return new DeployArgs(action, model, version, port, approvers, holdout, label, rows, approver, groups, evidence, stepSeconds, traffic,
                rps, reason, to, registry, deployments);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String getAction() {
        return action;
    }

    public String getModel() {
        return model;
    }

    public Integer getVersion() {
        return version;
    }

    @DataBoundSetter
    public void setVersion(Integer version) {
        this.version = version;
    }

    public Integer getPort() {
        return port;
    }

    @DataBoundSetter
    public void setPort(Integer port) {
        this.port = port;
    }

    public List<String> getApprovers() {
        return approvers;
    }

    @DataBoundSetter
    public void setApprovers(List<String> approvers) {
        this.approvers = approvers;
    }

    public String getHoldout() {
        return holdout;
    }

    @DataBoundSetter
    public void setHoldout(String holdout) {
        this.holdout = blankToNull(holdout);
    }

    public String getLabel() {
        return label;
    }

    @DataBoundSetter
    public void setLabel(String label) {
        this.label = blankToNull(label);
    }

    public int getRows() {
        return rows;
    }

    @DataBoundSetter
    public void setRows(int rows) {
        this.rows = rows;
    }

    public String getApprover() {
        return approver;
    }

    @DataBoundSetter
    public void setApprover(String approver) {
        this.approver = blankToNull(approver);
    }

    public List<String> getGroups() {
        return groups;
    }

    @DataBoundSetter
    public void setGroups(List<String> groups) {
        this.groups = groups;
    }

    public List<String> getEvidence() {
        return evidence;
    }

    @DataBoundSetter
    public void setEvidence(List<String> evidence) {
        this.evidence = evidence;
    }

    public double getStepSeconds() {
        return stepSeconds;
    }

    @DataBoundSetter
    public void setStepSeconds(double stepSeconds) {
        this.stepSeconds = stepSeconds;
    }

    public String getTraffic() {
        return traffic;
    }

    @DataBoundSetter
    public void setTraffic(String traffic) {
        this.traffic = blankToNull(traffic);
    }

    public double getRps() {
        return rps;
    }

    @DataBoundSetter
    public void setRps(double rps) {
        this.rps = rps;
    }

    public String getReason() {
        return reason;
    }

    @DataBoundSetter
    public void setReason(String reason) {
        this.reason = blankToNull(reason);
    }

    public Integer getTo() {
        return to;
    }

    @DataBoundSetter
    public void setTo(Integer to) {
        this.to = to;
    }

    public String getRegistry() {
        return registry;
    }

    @DataBoundSetter
    public void setRegistry(String registry) {
        this.registry = blankToNull(registry);
    }

    public String getDeployments() {
        return deployments;
    }

    @DataBoundSetter
    public void setDeployments(String deployments) {
        this.deployments = blankToNull(deployments);
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return DeployMessages.FUNCTION_NAME;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return DeployMessages.DISPLAY_NAME;
        }

        /** FilePath makes Pipeline reject the step outside {@code node {}} before it starts. */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, FilePath.class, TaskListener.class, EnvVars.class);
        }
    }
}
