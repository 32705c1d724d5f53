package dev.mlops.retrain;

import java.time.Duration;

/** The ledger's answer: admitted, or refused with the reason and when to come back. */
public record Admission(boolean admitted, Refusal refusal, String reason, Duration retryAfter, java.time.Instant at) {

    public enum Refusal { COOLDOWN, BUDGET, PENDING_DECISION }

    static Admission yes() {
        return new Admission(true, null, null, Duration.ZERO, null);
    }

    static Admission yesAt(java.time.Instant at) {
        return new Admission(true, null, null, Duration.ZERO, at);
    }

    static Admission no(Refusal refusal, String reason, Duration retryAfter) {
        return new Admission(false, refusal, reason, retryAfter, null);
    }

    /** Whole seconds, at least 1, for a Retry-After header. */
    public long retryAfterSeconds() {
        long seconds = (retryAfter.toMillis() + 999) / 1000;
        return Math.max(1, seconds);
    }
}
