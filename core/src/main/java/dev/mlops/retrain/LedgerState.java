package dev.mlops.retrain;

import java.time.Instant;
import java.util.List;

/**
 * What the ledger remembers per subject (schema {@value #SCHEMA}): the trigger times still relevant
 * to the cool-down or the daily budget, and a pending human decision in pause mode.
 */
public record LedgerState(String schema, String subject, List<Instant> triggers, PendingDecision pending) {
    public static final String SCHEMA = "mlops.retrain-ledger/v1";

    public LedgerState {
        triggers = triggers == null ? List.of() : List.copyOf(triggers);
    }

    /** A retrain request that waits for a human (mode pause). */
    public record PendingDecision(Instant since, String version, String reason, String requestId) {
    }
}
