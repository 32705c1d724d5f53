package dev.mlops.retrain;

import dev.mlops.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A receiver's answer: HTTP status, a JSON body (schema {@value #SCHEMA}) with the reason, and
 * {@code Retry-After} seconds for 429.
 */
public record Decision(int status, String outcome, String reason, long retryAfterSeconds, String job, String requestId, String location) {
    public static final String SCHEMA = "mlops.webhook-decision/v1";

    public byte[] body() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SCHEMA);
        doc.put("status", status);
        doc.put("outcome", outcome);
        doc.put("reason", reason);
        doc.put("job", job);
        doc.put("requestId", requestId);
        doc.put("location", location);
        if (retryAfterSeconds > 0) {
            doc.put("retryAfterSeconds", retryAfterSeconds);
        }
        return Json.toBytes(doc);
    }

    static Decision unauthorized(String reason) {
        return new Decision(401, "unauthorized", reason, 0, null, null, null);
    }
}
