package dev.mlops.jenkins.train.webhook;

import dev.mlops.error.MlopsException;
import dev.mlops.retrain.Decision;
import dev.mlops.retrain.RetrainPayload;
import dev.mlops.retrain.WebhookReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP side of {@code POST <jenkins>/mlops-webhook/retrain[/<job full name>]} without Stapler:
 * method, path, headers and body in, status, Retry-After and a JSON body (schema
 * {@value Decision#SCHEMA}) out. The signature, replay, job and budget checks are core's
 * {@link WebhookReceiver}; this adds POST-only, a body limit, the optional job in the path (it must
 * equal the signed body's job) and turns a configuration problem (no secret credential, unreadable
 * registry) into 503 with the fix.
 */
public final class WebhookEndpoint {
    public static final String PATH = "/" + MlopsWebhookAction.URL_NAME + "/retrain";
    public static final int MAX_BODY = 1024 * 1024;
    private static final Logger LOGGER = Logger.getLogger(WebhookEndpoint.class.getName());

    /** What to answer. */
    public record Reply(int status, long retryAfterSeconds, byte[] body) {
        static Reply of(Decision decision) {
            return new Reply(decision.status(), decision.status() == 429 ? Math.max(1, decision.retryAfterSeconds()) : 0, decision.body());
        }

        static Reply error(int status, String outcome, String reason) {
            return of(new Decision(status, outcome, reason, 0, null, null, null));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Supplier<WebhookReceiver> receiver;

    /** @param receiver the current receiver; may throw an {@link MlopsException} naming a configuration problem */
    public WebhookEndpoint(Supplier<WebhookReceiver> receiver) {
        this.receiver = receiver;
    }

    /** @param path the request path below the Jenkins context path, e.g. {@code /mlops-webhook/retrain/team/churn} */
    public Reply handle(String method, String path, Map<String, List<String>> headers, InputStream body) throws IOException {
        if (!"POST".equals(method)) {
            return Reply.error(405, "method-not-allowed", method + " is not accepted; POST the signed payload (docs/retrain.md)");
        }
        String pathJob;
        try {
            pathJob = jobInPath(path);
        } catch (IllegalArgumentException e) {
            return Reply.error(404, "not-found", "no such endpoint: " + e.getMessage() + "; POST to " + PATH + " or " + PATH + "/<job full name>");
        }
        byte[] bytes = body.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            return Reply.error(413, "too-large", "body over " + MAX_BODY + " bytes; a retrain request is a small JSON document");
        }
        if (pathJob != null) {
            String bodyJob = jobInBody(bytes);
            if (bodyJob != null && !bodyJob.equals(pathJob)) {
                return Reply.error(400, "bad-request", "job: the URL names '" + pathJob + "' but the signed body names '" + bodyJob
                        + "'; post to " + PATH + "/" + bodyJob + " or to " + PATH);
            }
        }
        try {
            return Reply.of(receiver.get().handle(headers, bytes));
        } catch (MlopsException notConfigured) {
            LOGGER.log(Level.WARNING, "mlops retrain webhook is not usable: {0}", notConfigured.getMessage());
            return Reply.error(503, "not-configured", "the Jenkins retrain webhook is not configured: " + notConfigured.getMessage());
        }
    }

    /** Null for {@code /mlops-webhook/retrain[/]}, the decoded job full name for {@code .../retrain/<folder>/<job>}. */
    static String jobInPath(String path) {
        String p = path == null ? "" : path;
        if (p.equals(PATH) || p.equals(PATH + "/")) {
            return null;
        }
        if (!p.startsWith(PATH + "/")) {
            throw new IllegalArgumentException(p);
        }
        StringBuilder job = new StringBuilder();
        for (String segment : p.substring(PATH.length() + 1).split("/")) {
            if (!segment.isEmpty()) {
                job.append(job.isEmpty() ? "" : "/").append(URLDecoder.decode(segment, StandardCharsets.UTF_8));
            }
        }
        return job.isEmpty() ? null : job.toString();
    }

    private static String jobInBody(byte[] bytes) {
        try {
            return RetrainPayload.parse(bytes).job();
        } catch (MlopsException unreadable) {
            return null; // the receiver answers it after the signature check
        }
    }
}
