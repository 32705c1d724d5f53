package dev.mlops.jenkins.train.webhook;

import hudson.model.Cause;

/** "Started by mlops drift webhook: <reason>" on the build page of a job the retrain webhook started. */
public class WebhookCause extends Cause {
    static final int MAX_REASON = 300;
    private final String reason;
    private final String model;
    private final String version;
    private final String requestId;
    private final String requestedBy;

    public WebhookCause(String reason, String model, String version, String requestId, String requestedBy) {
        this.reason = reason;
        this.model = model;
        this.version = version;
        this.requestId = requestId;
        this.requestedBy = requestedBy;
    }

    @Override
    public String getShortDescription() {
        String oneLine = reason == null || reason.isBlank() ? "(no reason given)" : reason.replaceAll("\\s+", " ").strip();
        if (oneLine.length() > MAX_REASON) {
            oneLine = oneLine.substring(0, MAX_REASON) + "…";
        }
        return "Started by mlops drift webhook: " + oneLine;
    }

    public String getReason() {
        return reason;
    }

    public String getModel() {
        return model;
    }

    public String getVersion() {
        return version;
    }

    public String getRequestId() {
        return requestId;
    }

    public String getRequestedBy() {
        return requestedBy;
    }
}
