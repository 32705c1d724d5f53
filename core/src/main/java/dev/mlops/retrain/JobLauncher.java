package dev.mlops.retrain;

/**
 * The port a {@link WebhookReceiver} starts jobs through: a local command per job
 * ({@code mlops webhook serve}) or the Jenkins queue (plugin-train).
 */
public interface JobLauncher {

    /** Whether {@code job} exists and may be started by the webhook. */
    boolean knows(String job);

    /**
     * Schedules the job for this request and returns at once.
     *
     * @return where to follow it (a queue item URL, a log file)
     */
    String launch(String job, RetrainPayload payload);
}
