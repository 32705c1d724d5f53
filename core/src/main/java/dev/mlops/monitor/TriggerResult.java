package dev.mlops.monitor;

import dev.mlops.retrain.RetrainOutcome;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a drift verdict did about retraining: {@link RetrainOutcome.Status} by name, or {@code FAILED}
 * when the endpoint refused or stayed unavailable (the drift result stands; the ledger was released,
 * so a later drifted window tries again).
 */
public record TriggerResult(String outcome, String reason, RetrainOutcome retrain) {
    public static final String FAILED = "FAILED";

    static TriggerResult of(RetrainOutcome outcome) {
        return new TriggerResult(outcome.status().name(), outcome.reason(), outcome);
    }

    static TriggerResult failed(String reason) {
        return new TriggerResult(FAILED, reason, null);
    }

    public boolean triggered() {
        return "TRIGGERED".equals(outcome);
    }

    /** The {@code trigger} entry of a drift summary: outcome and reason, plus the retrain outcome's fields. */
    public Map<String, Object> toJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("outcome", outcome);
        doc.put("reason", reason);
        if (retrain != null) {
            retrain.toJson().forEach((k, v) -> {
                if (!k.equals("schema") && !k.equals("status") && !k.equals("reason") && v != null) {
                    doc.put(k, v);
                }
            });
        }
        return doc;
    }

    /** "triggered churn-retrain (…)" / "suppressed: cool-down: …" for a one-line log. */
    public String line() {
        String what = outcome.toLowerCase(Locale.ROOT).replace('_', ' ');
        String why = reason.toLowerCase(Locale.ROOT).startsWith(what) ? reason : what + ": " + reason;
        return why + (retrain != null && retrain.delivery() != null && retrain.delivery().location() != null
                ? " -> " + retrain.delivery().location() : "");
    }
}
