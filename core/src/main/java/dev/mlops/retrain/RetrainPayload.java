package dev.mlops.retrain;

import dev.mlops.error.InvalidInputException;
import dev.mlops.json.Json;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * The JSON body of a retrain webhook, schema {@value #SCHEMA}. {@code id} is unique per request so a
 * receiver can tell retries of one request from new ones.
 */
public record RetrainPayload(String schema, String id, String job, String model, String version, String reason,
                             Map<String, Object> summary, URI reportLink, Instant requestedAt, String requestedBy) {
    public static final String SCHEMA = "mlops.retrain-request/v1";

    public RetrainPayload {
        summary = summary == null ? Map.of() : summary;
    }

    public static RetrainPayload of(String id, String job, RetrainRequest request, Instant at, String requestedBy) {
        return new RetrainPayload(SCHEMA, id, job, request.model(), request.version(), request.reason(), request.summary(),
                request.reportLink(), at, requestedBy);
    }

    public RetrainRequest request() {
        return new RetrainRequest(model, version, reason, summary, reportLink);
    }

    public byte[] toBytes() {
        return Json.toBytes(this);
    }

    /** Parses and checks a received body; the message names what is wrong. */
    public static RetrainPayload parse(byte[] body) {
        RetrainPayload payload;
        try {
            payload = Json.fromBytes(body, RetrainPayload.class);
        } catch (RuntimeException e) {
            throw new InvalidInputException("body: not a JSON object of schema " + SCHEMA + "; send the payload `mlops webhook send` builds");
        }
        if (payload == null || !SCHEMA.equals(payload.schema())) {
            throw new InvalidInputException("schema: '" + (payload == null ? null : payload.schema()) + "' is not " + SCHEMA
                    + "; send the payload `mlops webhook send` builds");
        }
        if (payload.job() == null || payload.job().isBlank()) {
            throw new InvalidInputException("job: missing; name the job to start, e.g. \"job\": \"churn-retrain\"");
        }
        payload.request();
        return payload;
    }
}
