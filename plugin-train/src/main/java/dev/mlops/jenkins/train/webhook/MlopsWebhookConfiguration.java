package dev.mlops.jenkins.train.webhook;

import hudson.Extension;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Manage Jenkins » System » "MLOps retrain webhook": the Secret text credential with the HMAC key,
 * the jobs the webhook may start (nothing is allowed until listed), cool-down and daily budget per
 * job, accepted clock skew, and the registry that keeps the ledger and audit log.
 */
@Extension
@Symbol("mlopsWebhook")
public class MlopsWebhookConfiguration extends GlobalConfiguration {
    private String secretCredentialsId;
    private String allowedJobs;
    private long cooldownMinutes;
    private int maxPerDay;
    private long maxSkewSeconds = 300;
    private String registry;

    public MlopsWebhookConfiguration() {
        load();
    }

    public String getSecretCredentialsId() {
        return secretCredentialsId;
    }

    @DataBoundSetter
    public void setSecretCredentialsId(String secretCredentialsId) {
        this.secretCredentialsId = trimToNull(secretCredentialsId);
        save();
    }

    public String getAllowedJobs() {
        return allowedJobs;
    }

    @DataBoundSetter
    public void setAllowedJobs(String allowedJobs) {
        this.allowedJobs = allowedJobs;
        save();
    }

    public long getCooldownMinutes() {
        return cooldownMinutes;
    }

    @DataBoundSetter
    public void setCooldownMinutes(long cooldownMinutes) {
        this.cooldownMinutes = cooldownMinutes;
        save();
    }

    public int getMaxPerDay() {
        return maxPerDay;
    }

    @DataBoundSetter
    public void setMaxPerDay(int maxPerDay) {
        this.maxPerDay = maxPerDay;
        save();
    }

    public long getMaxSkewSeconds() {
        return maxSkewSeconds;
    }

    @DataBoundSetter
    public void setMaxSkewSeconds(long maxSkewSeconds) {
        this.maxSkewSeconds = maxSkewSeconds;
        save();
    }

    public String getRegistry() {
        return registry;
    }

    @DataBoundSetter
    public void setRegistry(String registry) {
        this.registry = trimToNull(registry);
        save();
    }

    @Override
    public String getDisplayName() {
        return "MLOps retrain webhook";
    }

    /** The current values, checked; throws an error naming each bad field. */
    public WebhookSettings settings() {
        return new WebhookSettings(secretCredentialsId, WebhookSettings.parseJobs(allowedJobs), cooldownMinutes, maxPerDay, maxSkewSeconds, registry);
    }

    private static String trimToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
