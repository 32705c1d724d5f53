package dev.mlops.retrain;

import dev.mlops.error.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/** One POST with bounded retries; shared by both triggers. */
final class HttpDelivery {
    private static final int MAX_BODY_IN_MESSAGE = 300;
    private final HttpClient client;
    private final RetryPolicy retry;

    HttpDelivery(RetryPolicy retry) {
        this.retry = retry;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Sends the request built fresh for each attempt (a signed webhook needs a new timestamp and
     * nonce per attempt). {@code secret} only redacts what the server echoes.
     */
    Delivery post(URI uri, String what, Supplier<HttpRequest.Builder> request, WebhookSecret secret) {
        String lastProblem = null;
        int lastStatus = 0;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            if (attempt > 1) {
                sleep(retry.backoffBefore(attempt));
            }
            HttpResponse<String> response;
            try {
                response = client.send(request.get().timeout(retry.requestTimeout()).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                lastStatus = 0;
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + secret.redact(e.getMessage()));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetrainDeliveryException(ErrorCode.INTERNAL, what + " to " + uri + ": interrupted", 0, attempt);
            }
            int status = response.statusCode();
            String body = excerpt(secret.redact(response.body()));
            // 303: Jenkins found the same item already queued and points at it
            if (status >= 200 && status < 300 || status == 303 && response.headers().firstValue("Location").isPresent()) {
                return new Delivery(status, attempt, response.headers().firstValue("Location").orElse(null), body);
            }
            if (status < 500) {
                throw new RetrainDeliveryException(codeFor(status), what + " to " + uri + ": HTTP " + status + " " + body
                        + "; " + hintFor(status) + " (not retried)", status, attempt);
            }
            lastStatus = status;
            lastProblem = "HTTP " + status + " " + body;
        }
        throw new RetrainDeliveryException(ErrorCode.STORAGE_UNAVAILABLE, what + " to " + uri + ": gave up after " + retry.maxAttempts()
                + " attempts, last " + lastProblem + "; check the endpoint is up and retry", lastStatus, retry.maxAttempts());
    }

    private static ErrorCode codeFor(int status) {
        return switch (status) {
            case 401, 403 -> ErrorCode.ACCESS_DENIED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 409, 429 -> ErrorCode.CONFLICT;
            default -> ErrorCode.INVALID_INPUT;
        };
    }

    private static String hintFor(int status) {
        return switch (status) {
            case 401, 403 -> "check the user/API token or the shared secret and the endpoint's permissions";
            case 404 -> "check the URL and the job name";
            case 429 -> "the receiver's cool-down or daily budget refused it; wait for Retry-After";
            default -> "fix the request";
        };
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_BODY_IN_MESSAGE ? oneLine : oneLine.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetrainDeliveryException(ErrorCode.INTERNAL, "retrain delivery interrupted while backing off", 0, 0);
        }
    }
}
