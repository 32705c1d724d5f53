package dev.mlops.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.audit.AuditEvent;
import dev.mlops.audit.AuditLog;
import dev.mlops.json.Json;
import dev.mlops.storage.LocalArtifactStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiver behind a real JDK HTTP server on 127.0.0.1, driven by real HTTP requests. */
class WebhookReceiverTest {
    private static final RetrainRequest DRIFT = new RetrainRequest("churn", "4", "drift in 7 of 25 features", Map.of("driftShare", 0.28), null);
    private final HttpClient http = HttpClient.newHttpClient();
    private final RetrainFixtures.MutableClock clock = new RetrainFixtures.MutableClock(Instant.parse("2025-03-10T08:00:00Z"));
    private final List<RetrainPayload> launched = new CopyOnWriteArrayList<>();
    @TempDir
    Path dir;
    private WebhookServer server;

    /** A real launcher of one known job that records what it was asked to start. */
    private final JobLauncher recording = new JobLauncher() {
        @Override
        public boolean knows(String job) {
            return job.equals("churn-retrain");
        }

        @Override
        public String launch(String job, RetrainPayload payload) {
            launched.add(payload);
            return "http://jenkins.example/queue/item/" + launched.size() + "/";
        }
    };

    @BeforeEach
    void start() {
        startWith(RetrainPolicy.of(60, 2, RetrainMode.TRIGGER), recording);
    }

    private void startWith(RetrainPolicy policy, JobLauncher launcher) {
        if (server != null) {
            server.close();
        }
        LocalArtifactStore store = new LocalArtifactStore(dir.resolve("state"));
        WebhookReceiver receiver = new WebhookReceiver(RetrainFixtures::secret, launcher, new RetrainLedger(store, clock),
                new AuditLog(store, clock), WebhookReceiver.Settings.defaults(policy));
        server = WebhookServer.start(receiver, "127.0.0.1", 0, WebhookServer.DEFAULT_PATH, WebhookServer.DEFAULT_MAX_BODY);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private byte[] payload(String job) {
        return RetrainPayload.of("req-1", job, DRIFT, clock.instant(), "drift-bot").toBytes();
    }

    private HttpResponse<String> post(byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.url()).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String[] signed(WebhookSecret secret, long timestamp, String nonce, byte[] body) {
        WebhookSignature.Signed s = WebhookSignature.sign(secret, timestamp, nonce, body);
        return new String[] {WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp), WebhookSignature.NONCE_HEADER, nonce,
                WebhookSignature.SIGNATURE_HEADER, s.signature()};
    }

    private String[] signedNow(byte[] body, String nonce) {
        return signed(RetrainFixtures.secret(), clock.instant().getEpochSecond(), nonce, body);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> response) {
        return Json.fromBytes(response.body().getBytes(StandardCharsets.UTF_8), Map.class);
    }

    private List<AuditEvent> audit() {
        return new AuditLog(new LocalArtifactStore(dir.resolve("state")), clock).read(1, 0);
    }

    @Test
    void acceptsAGoodSignatureFromTheSignedTriggerAndSchedulesTheJob() {
        SignedWebhookTrigger trigger = new SignedWebhookTrigger(server.url(), "churn-retrain", RetrainFixtures.secret(), RetrainFixtures.FAST_RETRY, clock);
        Delivery delivery = trigger.send(RetrainPayload.of("req-1", "churn-retrain", DRIFT, clock.instant(), "drift-bot"));
        assertEquals(202, delivery.status());
        assertEquals("http://jenkins.example/queue/item/1/", delivery.location());
        assertEquals(1, launched.size());
        assertEquals("churn", launched.get(0).model());
        assertEquals(0.28, launched.get(0).summary().get("driftShare"));
        AuditEvent accepted = audit().get(0);
        assertEquals(WebhookReceiver.A_ACCEPTED, accepted.action());
        assertEquals("model/churn:4", accepted.target());
        assertEquals("drift-bot", accepted.details().get("requestedBy"));
    }

    @Test
    void tamperedBodyIsUnauthorized() throws Exception {
        byte[] body = payload("churn-retrain");
        String[] headers = signedNow(body, "nonce-0000000000000001");
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"churn\"", "\"fraud\"").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = post(tampered, headers);
        assertEquals(401, response.statusCode());
        assertTrue(json(response).get("reason").toString().startsWith("signature does not match"), response.body());
        assertTrue(launched.isEmpty());
        assertTrue(audit().isEmpty(), "unauthenticated requests are not audited");
    }

    @Test
    void wrongSecretIsUnauthorizedAndTheSecretIsNeverEchoed() throws Exception {
        byte[] body = payload("churn-retrain");
        HttpResponse<String> response = post(body, signed(WebhookSecret.of("someone-elses-secret-123", "test"), clock.instant().getEpochSecond(),
                "nonce-0000000000000002", body));
        assertEquals(401, response.statusCode());
        assertFalse(response.body().contains(RetrainFixtures.SECRET));
    }

    @Test
    void missingHeadersAreNamed() throws Exception {
        HttpResponse<String> response = post(payload("churn-retrain"), WebhookSignature.TIMESTAMP_HEADER, "1741593600");
        assertEquals(401, response.statusCode());
        assertTrue(json(response).get("reason").toString().contains("missing header X-Mlops-Nonce, X-Mlops-Signature"), response.body());
        assertEquals(401, post(payload("churn-retrain")).statusCode());
    }

    @Test
    void staleTimestampsAreRejectedBothWays() throws Exception {
        byte[] body = payload("churn-retrain");
        long now = clock.instant().getEpochSecond();
        HttpResponse<String> old = post(body, signed(RetrainFixtures.secret(), now - 301, "nonce-0000000000000003", body));
        assertEquals(401, old.statusCode());
        assertTrue(json(old).get("reason").toString().startsWith("stale timestamp"), old.body());
        assertEquals(401, post(body, signed(RetrainFixtures.secret(), now + 301, "nonce-0000000000000004", body)).statusCode());
        assertEquals(202, post(body, signed(RetrainFixtures.secret(), now - 299, "nonce-0000000000000005", body)).statusCode());
    }

    @Test
    void replayedNonceIsRejectedEvenWithAValidSignature() throws Exception {
        byte[] body = payload("churn-retrain");
        String[] headers = signedNow(body, "nonce-0000000000000006");
        assertEquals(202, post(body, headers).statusCode());
        HttpResponse<String> replay = post(body, headers);
        assertEquals(401, replay.statusCode());
        assertTrue(json(replay).get("reason").toString().startsWith("replayed nonce"), replay.body());
        assertEquals(1, launched.size());
    }

    @Test
    void unknownJobIsNotFound() throws Exception {
        byte[] body = payload("no-such-job");
        HttpResponse<String> response = post(body, signedNow(body, "nonce-0000000000000007"));
        assertEquals(404, response.statusCode());
        assertEquals("unknown-job", json(response).get("outcome"));
        assertTrue(launched.isEmpty());
    }

    @Test
    void malformedPayloadIsABadRequest() throws Exception {
        byte[] body = "{\"schema\":\"something/v9\"}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = post(body, signedNow(body, "nonce-0000000000000008"));
        assertEquals(400, response.statusCode());
        assertTrue(json(response).get("reason").toString().startsWith("schema:"), response.body());
    }

    @Test
    void cooldownAnswers429WithRetryAfter() throws Exception {
        byte[] body = payload("churn-retrain");
        assertEquals(202, post(body, signedNow(body, "nonce-0000000000000009")).statusCode());
        clock.advance(Duration.ofMinutes(10));
        HttpResponse<String> second = post(body, signedNow(body, "nonce-0000000000000010"));
        assertEquals(429, second.statusCode());
        assertEquals("3000", second.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(json(second).get("reason").toString().startsWith("cool-down:"), second.body());
        assertEquals(WebhookReceiver.A_THROTTLED, audit().get(1).action());
        assertEquals("cooldown", audit().get(1).details().get("refusal"));
    }

    @Test
    void exhaustedBudgetAnswers429UntilMidnightUtc() throws Exception {
        startWith(RetrainPolicy.of(0, 1, RetrainMode.TRIGGER), recording);
        byte[] body = payload("churn-retrain");
        assertEquals(202, post(body, signedNow(body, "nonce-0000000000000011")).statusCode());
        HttpResponse<String> second = post(body, signedNow(body, "nonce-0000000000000012"));
        assertEquals(429, second.statusCode());
        assertEquals(Long.toString(Duration.ofHours(16).toSeconds()), second.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(json(second).get("reason").toString().startsWith("budget:"), second.body());
    }

    @Test
    void runsTheConfiguredCommandWithTheRequestInItsEnvironment() throws Exception {
        Path logs = dir.resolve("logs");
        CommandJobLauncher commands = new CommandJobLauncher(Map.of("churn-retrain", "echo \"retraining $MLOPS_MODEL:$MLOPS_VERSION\"; cat \"$MLOPS_REQUEST_FILE\""),
                dir, logs, clock, event -> { });
        startWith(RetrainPolicy.of(0, 0, RetrainMode.TRIGGER), commands);
        byte[] body = payload("churn-retrain");
        HttpResponse<String> response = post(body, signedNow(body, "nonce-0000000000000013"));
        assertEquals(202, response.statusCode());
        commands.stop(Duration.ofSeconds(60));
        Path log = Path.of(json(response).get("location").toString());
        String text = Files.readString(log);
        assertTrue(text.contains("retraining churn:4"), text);
        assertTrue(text.contains("\"schema\":\"mlops.retrain-request/v1\""), text);
        assertTrue(text.contains("exited 0"), text);
        // after a graceful stop nothing more is started, and the request is refused, not lost silently
        byte[] again = payload("churn-retrain");
        assertEquals(503, post(again, signedNow(again, "nonce-0000000000000014")).statusCode());
    }

    @Test
    void onlyPostOnTheWebhookPath() throws Exception {
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(server.url()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        URI other = server.url().resolve("/elsewhere");
        assertEquals(404, http.send(HttpRequest.newBuilder(other).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertThrows(dev.mlops.error.InvalidInputException.class,
                () -> WebhookServer.start(null, "127.0.0.1", server.port(), WebhookServer.DEFAULT_PATH, 10));
    }
}
