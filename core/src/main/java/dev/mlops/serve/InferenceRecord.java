package dev.mlops.serve;

import java.time.Instant;

/**
 * One logged scoring: what the model saw and answered. Holds no request headers, query string,
 * cookie or credential by construction. {@code outputs} is null and {@code error} set when a shadow
 * scoring failed.
 */
public record InferenceRecord(Instant timestamp, String model, int version, String id, String route, String selector,
                              float[][] inputs, double[][] outputs, double latencyMillis, String error) {
}
