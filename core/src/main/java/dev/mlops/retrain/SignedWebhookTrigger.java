package dev.mlops.retrain;

import dev.mlops.error.InvalidInputException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * POSTs the JSON payload to any URL (our receiver: {@code mlops webhook serve} or Jenkins'
 * {@code /mlops-webhook/retrain}), signed per {@link WebhookSignature}, a fresh timestamp and nonce
 * per attempt.
 */
public final class SignedWebhookTrigger implements RetrainTrigger {
    private final URI url;
    private final String job;
    private final WebhookSecret secret;
    private final Clock clock;
    private final HttpDelivery http;
    private final SecureRandom random = new SecureRandom();

    public SignedWebhookTrigger(URI url, String job, WebhookSecret secret, RetryPolicy retry, Clock clock) {
        this.url = requireHttp(url, "webhook");
        this.job = job;
        this.secret = secret;
        this.clock = clock;
        this.http = new HttpDelivery(retry);
    }

    static URI requireHttp(URI url, String field) {
        if (url == null || url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https")) || url.getHost() == null) {
            throw new InvalidInputException(field + ": '" + url + "' is not an http(s) URL; e.g. https://jenkins.example.com/mlops-webhook/retrain");
        }
        if (url.getUserInfo() != null) {
            throw new InvalidInputException(field + ": the URL holds a user:password part; pass credentials through the environment instead");
        }
        return url;
    }

    @Override
    public String target() {
        return url.toString();
    }

    @Override
    public String job() {
        return job;
    }

    @Override
    public String describe(RetrainPayload payload) {
        return "POST " + url + " (" + WebhookSignature.SIGNATURE_HEADER + ": HMAC-SHA256 with " + secret.source() + ")\n"
                + new String(payload.toBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public Delivery send(RetrainPayload payload) {
        byte[] body = payload.toBytes();
        return http.post(url, "retrain webhook", () -> {
            WebhookSignature.Signed signed = WebhookSignature.sign(secret, clock.instant().getEpochSecond(), WebhookSignature.newNonce(random), body);
            return HttpRequest.newBuilder(url)
                    .header("Content-Type", "application/json")
                    .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(signed.timestamp()))
                    .header(WebhookSignature.NONCE_HEADER, signed.nonce())
                    .header(WebhookSignature.SIGNATURE_HEADER, signed.signature())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        }, secret);
    }
}
