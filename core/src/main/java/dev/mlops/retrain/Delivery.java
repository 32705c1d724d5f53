package dev.mlops.retrain;

/** The accepted answer of a retrain target; {@code location} is e.g. the Jenkins queue item URL. */
public record Delivery(int status, int attempts, String location, String body) {
}
