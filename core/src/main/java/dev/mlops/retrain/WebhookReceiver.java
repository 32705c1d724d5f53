package dev.mlops.retrain;

import dev.mlops.audit.AuditLog;
import dev.mlops.audit.AuditRecord;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.MlopsException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The receiving end of a signed retrain webhook, with no HTTP server or Jenkins types: checks the
 * signature in constant time, then the timestamp (± {@code maxSkew}), then the nonce (each used
 * once within the window), then the job, then the cool-down and budget per job, and only then
 * schedules the job through the {@link JobLauncher}. Answers 401, 400, 404, 429 (with
 * Retry-After) or 202, each with a JSON reason. Accepted and throttled requests are audited;
 * unauthenticated ones are not (anyone could fill the log), they are counted.
 */
public final class WebhookReceiver {
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(5);
    public static final int DEFAULT_NONCE_CAPACITY = 100_000;
    public static final String A_ACCEPTED = "webhook-accepted";
    public static final String A_THROTTLED = "webhook-throttled";
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,128}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");

    /** Receiver limits; {@code policy.mode} is ignored (the sender chose to send). */
    public record Settings(Duration maxSkew, int nonceCapacity, RetrainPolicy policy) {
        public Settings {
            if (maxSkew == null || maxSkew.isNegative() || maxSkew.isZero()) {
                throw new InvalidInputException("max clock skew: " + maxSkew + " must be positive, e.g. PT5M");
            }
            if (nonceCapacity < 1) {
                throw new InvalidInputException("nonce capacity: " + nonceCapacity + " must be at least 1");
            }
        }

        public static Settings defaults(RetrainPolicy policy) {
            return new Settings(DEFAULT_MAX_SKEW, DEFAULT_NONCE_CAPACITY, policy);
        }
    }

    private final Supplier<WebhookSecret> secret;
    private final JobLauncher launcher;
    private final RetrainLedger ledger;
    private final AuditLog audit;
    private final Settings settings;
    private final NonceCache nonces;
    private final java.util.concurrent.atomic.AtomicLong rejected = new java.util.concurrent.atomic.AtomicLong();

    public WebhookReceiver(Supplier<WebhookSecret> secret, JobLauncher launcher, RetrainLedger ledger, AuditLog audit, Settings settings) {
        this.secret = secret;
        this.launcher = launcher;
        this.ledger = ledger;
        this.audit = audit;
        this.settings = settings;
        this.nonces = new NonceCache(settings.nonceCapacity());
    }

    public static String subject(String job) {
        return "job/" + job;
    }

    /** Requests refused as unauthenticated since start. */
    public long rejectedCount() {
        return rejected.get();
    }

    /** @param headers as received; names are matched case-insensitively */
    public Decision handle(Map<String, List<String>> headers, byte[] body) {
        Map<String, String> h = firstValues(headers);
        String timestamp = h.get(WebhookSignature.TIMESTAMP_HEADER.toLowerCase(Locale.ROOT));
        String nonce = h.get(WebhookSignature.NONCE_HEADER.toLowerCase(Locale.ROOT));
        String signature = h.get(WebhookSignature.SIGNATURE_HEADER.toLowerCase(Locale.ROOT));
        if (timestamp == null || nonce == null || signature == null) {
            return unauthorized("missing " + missing(timestamp, nonce, signature) + "; sign the request as docs/retrain.md shows "
                    + "(or use `mlops webhook send`)");
        }
        if (!TIMESTAMP.matcher(timestamp).matches() || !NONCE.matcher(nonce).matches()) {
            return unauthorized(WebhookSignature.TIMESTAMP_HEADER + " must be Unix seconds and " + WebhookSignature.NONCE_HEADER
                    + " 16 to 128 letters, digits, '-' or '_'");
        }
        if (!WebhookSignature.verify(secret.get(), timestamp, nonce, body, signature)) {
            return unauthorized("signature does not match: wrong secret, or the body, timestamp or nonce changed after signing");
        }
        Instant now = ledger.clock().instant();
        Instant sent = Instant.ofEpochSecond(Long.parseLong(timestamp));
        Duration skew = Duration.between(sent, now).abs();
        if (skew.compareTo(settings.maxSkew()) > 0) {
            return unauthorized("stale timestamp: " + sent + " is " + skew.toSeconds() + " s away from the receiver's clock (allowed "
                    + settings.maxSkew().toSeconds() + " s); sign at send time and keep clocks in sync (NTP)");
        }
        NonceCache.Result seen = nonces.remember(nonce, sent.plus(settings.maxSkew()).plusSeconds(1), now);
        if (seen == NonceCache.Result.REPLAY) {
            return unauthorized("replayed nonce: this " + WebhookSignature.NONCE_HEADER + " was already used; send a new nonce per request");
        }
        if (seen == NonceCache.Result.FULL) {
            return new Decision(429, "throttled", "too many requests inside the " + settings.maxSkew().toSeconds()
                    + " s replay window; retry later", settings.maxSkew().toSeconds(), null, null, null);
        }
        RetrainPayload payload;
        try {
            payload = RetrainPayload.parse(body);
        } catch (MlopsException bad) {
            return new Decision(400, "bad-request", bad.getMessage(), 0, null, null, null);
        }
        if (!launcher.knows(payload.job())) {
            return new Decision(404, "unknown-job", "job '" + payload.job() + "' is not known to this receiver; configure it "
                    + "(mlops webhook serve --job NAME=COMMAND, or a Jenkins job the webhook may start)", 0, payload.job(), payload.id(), null);
        }
        String subject = subject(payload.job());
        Admission admission = ledger.reserve(subject, settings.policy());
        if (!admission.admitted()) {
            record(A_THROTTLED, payload, admission.reason(), Map.of("refusal", admission.refusal().name().toLowerCase(Locale.ROOT)));
            return new Decision(429, "throttled", admission.reason(), admission.retryAfterSeconds(), payload.job(), payload.id(), null);
        }
        String location;
        try {
            location = launcher.launch(payload.job(), payload);
        } catch (RuntimeException failed) {
            ledger.release(subject, admission.at());
            return new Decision(503, "launch-failed", "could not schedule job '" + payload.job() + "': " + failed.getMessage(), 0,
                    payload.job(), payload.id(), null);
        }
        Map<String, String> details = new LinkedHashMap<>();
        if (location != null) {
            details.put("location", location);
        }
        record(A_ACCEPTED, payload, payload.reason(), details);
        return new Decision(202, "accepted", "job '" + payload.job() + "' scheduled for " + payload.model()
                + (payload.version() == null ? "" : ":" + payload.version()), 0, payload.job(), payload.id(), location);
    }

    private Decision unauthorized(String reason) {
        rejected.incrementAndGet();
        return Decision.unauthorized(reason);
    }

    private void record(String action, RetrainPayload payload, String reason, Map<String, String> extra) {
        Map<String, String> details = new LinkedHashMap<>(extra);
        details.put("job", payload.job());
        details.put("requestId", payload.id());
        if (payload.requestedBy() != null) {
            details.put("requestedBy", payload.requestedBy());
        }
        if (payload.reportLink() != null) {
            details.put("report", payload.reportLink().toString());
        }
        audit.append(new AuditRecord("webhook", action, "model/" + payload.model() + (payload.version() == null ? "" : ":" + payload.version()),
                reason, null, details));
    }

    private static String missing(String timestamp, String nonce, String signature) {
        StringBuilder names = new StringBuilder();
        for (String[] pair : new String[][] {{timestamp, WebhookSignature.TIMESTAMP_HEADER}, {nonce, WebhookSignature.NONCE_HEADER},
                {signature, WebhookSignature.SIGNATURE_HEADER}}) {
            if (pair[0] == null) {
                names.append(names.isEmpty() ? "" : ", ").append(pair[1]);
            }
        }
        return "header " + names;
    }

    private static Map<String, String> firstValues(Map<String, List<String>> headers) {
        Map<String, String> first = new TreeMap<>();
        if (headers != null) {
            headers.forEach((name, values) -> {
                if (name != null && values != null && !values.isEmpty() && values.get(0) != null) {
                    first.putIfAbsent(name.toLowerCase(Locale.ROOT), values.get(0).trim());
                }
            });
        }
        return first;
    }
}
