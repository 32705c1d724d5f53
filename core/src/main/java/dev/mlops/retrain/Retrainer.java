package dev.mlops.retrain;

import dev.mlops.audit.AuditLog;
import dev.mlops.audit.AuditRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Turns a {@link RetrainRequest} into at most one retrain per cool-down and budget: applies the
 * {@link RetrainPolicy} through the {@link RetrainLedger} (keyed {@code model/<name>}), then sends
 * through the {@link RetrainTrigger}, logs what a dry run would send, or records a pending human
 * decision. Every outcome, suppressions included, is appended to the audit log with its reason.
 */
public final class Retrainer {
    public static final String A_TRIGGER = "retrain-trigger";
    public static final String A_DRY_RUN = "retrain-dry-run";
    public static final String A_PAUSE = "retrain-needs-human";
    public static final String A_SUPPRESS = "retrain-suppressed";
    public static final String A_FAILED = "retrain-failed";

    private final RetrainTrigger trigger;
    private final RetrainPolicy policy;
    private final RetrainLedger ledger;
    private final AuditLog audit;
    private final Consumer<String> log;

    public Retrainer(RetrainTrigger trigger, RetrainPolicy policy, RetrainLedger ledger, AuditLog audit, Consumer<String> log) {
        this.trigger = trigger;
        this.policy = policy;
        this.ledger = ledger;
        this.audit = audit;
        this.log = log;
    }

    public static String subject(String model) {
        return "model/" + model;
    }

    public RetrainOutcome request(RetrainRequest request, String actor, String build) {
        Instant now = ledger.clock().instant();
        RetrainPayload payload = RetrainPayload.of(UUID.randomUUID().toString(), trigger.job(), request, now, actor);
        String subject = subject(request.model());
        return switch (policy.mode()) {
            case PAUSE -> pause(payload, subject, actor, build, now);
            case DRY_RUN -> dryRun(payload, subject, actor, build);
            case TRIGGER -> trigger(payload, subject, actor, build);
        };
    }

    private RetrainOutcome trigger(RetrainPayload payload, String subject, String actor, String build) {
        Admission admission = ledger.reserve(subject, policy);
        if (!admission.admitted()) {
            return suppressed(payload, admission, actor, build);
        }
        Instant reservedAt = admission.at();
        Delivery delivery;
        try {
            delivery = trigger.send(payload);
        } catch (RuntimeException failed) {
            ledger.release(subject, reservedAt);
            record(actor, A_FAILED, payload, failed.getMessage(), build, Map.of("target", trigger.target()));
            throw failed;
        }
        String reason = payload.reason();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("target", trigger.target());
        details.put("httpStatus", Integer.toString(delivery.status()));
        details.put("attempts", Integer.toString(delivery.attempts()));
        if (delivery.location() != null) {
            details.put("location", delivery.location());
        }
        record(actor, A_TRIGGER, payload, reason, build, details);
        log.accept("retrain: triggered " + trigger.job() + " at " + trigger.target() + " for " + payload.model()
                + (delivery.location() == null ? "" : " (" + delivery.location() + ")"));
        return new RetrainOutcome(RetrainOutcome.Status.TRIGGERED, reason, payload, delivery, 0, null);
    }

    private RetrainOutcome dryRun(RetrainPayload payload, String subject, String actor, String build) {
        Admission admission = ledger.check(subject, policy);
        if (!admission.admitted()) {
            return suppressed(payload, admission, actor, build);
        }
        String wouldSend = trigger.describe(payload);
        log.accept("retrain: dry run, would send:\n" + wouldSend);
        record(actor, A_DRY_RUN, payload, payload.reason(), build, Map.of("target", trigger.target()));
        return new RetrainOutcome(RetrainOutcome.Status.DRY_RUN, "dry run: nothing sent; " + payload.reason(), payload, null, 0, wouldSend);
    }

    private RetrainOutcome pause(RetrainPayload payload, String subject, String actor, String build, Instant now) {
        Admission admission = ledger.pause(subject, new LedgerState.PendingDecision(now, payload.version(), payload.reason(), payload.id()));
        if (!admission.admitted()) {
            return suppressed(payload, admission, actor, build);
        }
        String reason = "needs a human: mode pause; retrain " + payload.model() + " by starting " + trigger.job() + " by hand ("
                + payload.reason() + ")";
        record(actor, A_PAUSE, payload, reason, build, Map.of("target", trigger.target()));
        log.accept("retrain: " + reason);
        return new RetrainOutcome(RetrainOutcome.Status.PAUSED, reason, payload, null, 0, null);
    }

    private RetrainOutcome suppressed(RetrainPayload payload, Admission admission, String actor, String build) {
        Map<String, String> details = Map.of("refusal", admission.refusal().name().toLowerCase(java.util.Locale.ROOT),
                "request", payload.reason());
        record(actor, A_SUPPRESS, payload, admission.reason(), build, details);
        log.accept("retrain: suppressed, " + admission.reason());
        long retryAfter = admission.retryAfter().isZero() ? 0 : admission.retryAfterSeconds();
        return new RetrainOutcome(RetrainOutcome.Status.SUPPRESSED, admission.reason(), payload, null, retryAfter, null);
    }

    private void record(String actor, String action, RetrainPayload payload, String reason, String build, Map<String, String> details) {
        Map<String, String> all = new LinkedHashMap<>(details);
        all.put("requestId", payload.id());
        all.put("job", payload.job());
        if (payload.reportLink() != null) {
            all.put("report", payload.reportLink().toString());
        }
        audit.append(new AuditRecord(actor, action, "model/" + payload.model() + (payload.version() == null ? "" : ":" + payload.version()),
                reason, build, all));
    }
}
