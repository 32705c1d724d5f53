package dev.mlops.jenkins.train.webhook;

import dev.mlops.retrain.JobLauncher;
import dev.mlops.retrain.RetrainPayload;
import hudson.model.StringParameterValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Starts Jenkins jobs for the retrain webhook, but only those named in the global allow-list: a job
 * that is not listed is "unknown" (404) even when it exists, so a holder of the secret still cannot
 * start arbitrary jobs. The job gets the string parameters {@value #MODEL}, {@value #VERSION},
 * {@value #REASON}, {@value #REPORT} and {@value #REQUEST} (the whole signed payload); it must declare
 * them, because Jenkins drops undeclared parameters.
 */
public final class AllowListedJobLauncher implements JobLauncher {
    public static final String MODEL = "MLOPS_MODEL";
    public static final String VERSION = "MLOPS_VERSION";
    public static final String REASON = "MLOPS_REASON";
    public static final String REPORT = "MLOPS_REPORT";
    public static final String REQUEST = "MLOPS_REQUEST";
    static final String REFUSED = "Jenkins did not queue '%s': the job is disabled, not buildable, or a queue decision handler refused it";

    private final Set<String> allowed;
    private final JenkinsJobs jobs;

    public AllowListedJobLauncher(Set<String> allowed, JenkinsJobs jobs) {
        this.allowed = Set.copyOf(allowed);
        this.jobs = jobs;
    }

    @Override
    public boolean knows(String job) {
        return allowed.contains(job) && jobs.exists(job);
    }

    @Override
    public String launch(String job, RetrainPayload payload) {
        List<StringParameterValue> parameters = List.of(
                new StringParameterValue(MODEL, payload.model()),
                new StringParameterValue(VERSION, payload.version()),
                new StringParameterValue(REASON, payload.reason()),
                new StringParameterValue(REPORT, payload.reportLink() == null ? null : payload.reportLink().toString()),
                new StringParameterValue(REQUEST, new String(payload.toBytes(), StandardCharsets.UTF_8)));
        WebhookCause cause = new WebhookCause(payload.reason(), payload.model(), payload.version(), payload.id(), payload.requestedBy());
        String location = jobs.schedule(job, parameters, cause);
        if (location == null) {
            throw new IllegalStateException(String.format(REFUSED, job));
        }
        return location;
    }
}
