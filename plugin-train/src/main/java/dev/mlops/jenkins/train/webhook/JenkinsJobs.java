package dev.mlops.jenkins.train.webhook;

import hudson.model.StringParameterValue;
import java.util.List;

/**
 * The two things the webhook needs from Jenkins' item tree and queue. {@link QueueJenkinsJobs} is the
 * real one; tests record what would be scheduled.
 */
public interface JenkinsJobs {

    /** Whether a job that can be scheduled with parameters exists at {@code fullName} ({@code folder/job}). */
    boolean exists(String fullName);

    /** Queues the job; returns the queue item URL relative to the Jenkins root, or null if Jenkins refused. */
    String schedule(String fullName, List<StringParameterValue> parameters, WebhookCause cause);
}
