package dev.mlops.retrain;

/**
 * The port that starts retraining somewhere else: Jenkins' remote build trigger
 * ({@link JenkinsRemoteTrigger}) or any signed webhook ({@link SignedWebhookTrigger}).
 */
public interface RetrainTrigger {

    /** Where requests go, safe to print (no credentials). */
    String target();

    /** The job the target starts. */
    String job();

    /** What would be sent, for dry runs and logs: method, URL and body, never credentials or signatures. */
    String describe(RetrainPayload payload);

    /**
     * Delivers the payload, retrying 5xx answers and connection errors with backoff.
     *
     * @throws RetrainDeliveryException when the target refuses (4xx) or stays unavailable
     */
    Delivery send(RetrainPayload payload);
}
