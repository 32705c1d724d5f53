package dev.mlops.jenkins.evaluate;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code mlopsDriftCheck}: compares current production traffic (the server's inference logs or a CSV in
 * the workspace) with the reference profile stored with the model version, keeps the report with the
 * build, marks the build UNSTABLE on drift and, with a {@code webhook}, asks for a retrain (signed with
 * the secret in {@code secretEnv}, under cool-down and daily budget), e.g.
 * <pre>{@code
 * node('linux') {
 *     withCredentials([string(credentialsId: 'mlops-webhook-secret', variable: 'MLOPS_WEBHOOK_SECRET')]) {
 *         def d = mlopsDriftCheck model: 'churn', webhook: 'https://jenkins.example.com/mlops-webhook/retrain', job: 'churn-retrain'
 *         echo "drift: ${d.drift}, retrain: ${d.trigger?.outcome}"
 *     }
 * }
 * }</pre>
 * The work is core's {@link dev.mlops.monitor.DriftVerdict}, run on the agent by {@link MlopsDriftCheckStepExecution}.
 */
public class MlopsDriftCheckStep extends Step {
    private final String model;
    private String version;
    private String current;
    private String method;
    private String correction;
    private Double driftShare;
    private long windowRows;
    private String reportDir;
    private String registry;
    private boolean trigger = true;
    private String webhook;
    private String job;
    private String secretEnv;
    private long cooldownMinutes = 360;
    private int maxPerDay = 2;
    private String triggerMode;
    private String reportUrl;
    private boolean unstableOnDrift = true;

    @DataBoundConstructor
    public MlopsDriftCheckStep(String model) {
        this.model = blankToNull(model);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new MlopsDriftCheckStepExecution(this, context);
    }

    DriftArgs toArgs() {
        return new DriftArgs(registry, model, version, current, method, correction, driftShare, windowRows, reportDir, trigger, webhook, job,
                secretEnv, cooldownMinutes, maxPerDay, triggerMode, reportUrl);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String getModel() {
        return model;
    }

    public String getVersion() {
        return version;
    }

    /** Version to compare against (default: the production alias). */
    @DataBoundSetter
    public void setVersion(String version) {
        this.version = blankToNull(version);
    }

    public String getCurrent() {
        return current;
    }

    @DataBoundSetter
    public void setCurrent(String current) {
        this.current = blankToNull(current);
    }

    public String getMethod() {
        return method;
    }

    @DataBoundSetter
    public void setMethod(String method) {
        this.method = blankToNull(method);
    }

    public String getCorrection() {
        return correction;
    }

    @DataBoundSetter
    public void setCorrection(String correction) {
        this.correction = blankToNull(correction);
    }

    public Double getDriftShare() {
        return driftShare;
    }

    @DataBoundSetter
    public void setDriftShare(Double driftShare) {
        this.driftShare = driftShare;
    }

    public long getWindowRows() {
        return windowRows;
    }

    @DataBoundSetter
    public void setWindowRows(long windowRows) {
        this.windowRows = windowRows;
    }

    public String getReportDir() {
        return reportDir;
    }

    @DataBoundSetter
    public void setReportDir(String reportDir) {
        this.reportDir = blankToNull(reportDir);
    }

    public String getRegistry() {
        return registry;
    }

    @DataBoundSetter
    public void setRegistry(String registry) {
        this.registry = blankToNull(registry);
    }

    public boolean isTrigger() {
        return trigger;
    }

    /** false: never ask for a retrain, even with a webhook. */
    @DataBoundSetter
    public void setTrigger(boolean trigger) {
        this.trigger = trigger;
    }

    public String getWebhook() {
        return webhook;
    }

    @DataBoundSetter
    public void setWebhook(String webhook) {
        this.webhook = blankToNull(webhook);
    }

    public String getJob() {
        return job;
    }

    @DataBoundSetter
    public void setJob(String job) {
        this.job = blankToNull(job);
    }

    public String getSecretEnv() {
        return secretEnv;
    }

    /** The environment variable holding the HMAC secret (default MLOPS_WEBHOOK_SECRET), bound with withCredentials. */
    @DataBoundSetter
    public void setSecretEnv(String secretEnv) {
        this.secretEnv = blankToNull(secretEnv);
    }

    public long getCooldownMinutes() {
        return cooldownMinutes;
    }

    @DataBoundSetter
    public void setCooldownMinutes(long cooldownMinutes) {
        this.cooldownMinutes = cooldownMinutes;
    }

    public int getMaxPerDay() {
        return maxPerDay;
    }

    @DataBoundSetter
    public void setMaxPerDay(int maxPerDay) {
        this.maxPerDay = maxPerDay;
    }

    public String getTriggerMode() {
        return triggerMode;
    }

    @DataBoundSetter
    public void setTriggerMode(String triggerMode) {
        this.triggerMode = blankToNull(triggerMode);
    }

    public String getReportUrl() {
        return reportUrl;
    }

    /** The link sent in the retrain request (default: this build's drift page). */
    @DataBoundSetter
    public void setReportUrl(String reportUrl) {
        this.reportUrl = blankToNull(reportUrl);
    }

    public boolean isUnstableOnDrift() {
        return unstableOnDrift;
    }

    @DataBoundSetter
    public void setUnstableOnDrift(boolean unstableOnDrift) {
        this.unstableOnDrift = unstableOnDrift;
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return DriftMessages.FUNCTION_NAME;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return DriftMessages.DISPLAY_NAME;
        }

        /** FilePath makes Pipeline reject the step outside {@code node {}} before it starts. */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, FilePath.class, TaskListener.class, EnvVars.class);
        }
    }
}
