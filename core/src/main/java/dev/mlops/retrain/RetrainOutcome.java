package dev.mlops.retrain;

import java.util.LinkedHashMap;
import java.util.Map;

/** What {@link Retrainer#request} did; {@link #toJson()} is schema {@value #SCHEMA}. */
public record RetrainOutcome(Status status, String reason, RetrainPayload payload, Delivery delivery, long retryAfterSeconds, String wouldSend) {
    public static final String SCHEMA = "mlops.retrain-outcome/v1";

    public enum Status {
        TRIGGERED, DRY_RUN, PAUSED, SUPPRESSED
    }

    public Map<String, Object> toJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SCHEMA);
        doc.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
        doc.put("reason", reason);
        doc.put("requestId", payload.id());
        doc.put("model", payload.model());
        doc.put("version", payload.version());
        doc.put("job", payload.job());
        if (delivery != null) {
            doc.put("httpStatus", delivery.status());
            doc.put("attempts", delivery.attempts());
            doc.put("location", delivery.location());
        }
        if (retryAfterSeconds > 0) {
            doc.put("retryAfterSeconds", retryAfterSeconds);
        }
        if (wouldSend != null) {
            doc.put("wouldSend", wouldSend);
        }
        return doc;
    }
}
