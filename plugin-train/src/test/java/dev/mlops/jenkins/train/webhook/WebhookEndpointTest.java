package dev.mlops.jenkins.train.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.audit.AuditLog;
import dev.mlops.json.Json;
import dev.mlops.retrain.RetrainLedger;
import dev.mlops.retrain.WebhookReceiver;
import dev.mlops.retrain.WebhookSecret;
import dev.mlops.retrain.WebhookSignature;
import dev.mlops.storage.LocalArtifactStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook endpoint end to end without Stapler: real core receiver, ledger and audit log on a temp folder. */
class WebhookEndpointTest {
    private static final String KEY = "A-very-secret-webhook-key-0123456789";
    private static final long NOW = 1_700_000_000L;
    private static final String PATH = "/mlops-webhook/retrain";

    @TempDir
    Path dir;
    private final AtomicInteger nonces = new AtomicInteger();
    private RecordingJenkinsJobs jobs;
    private List<StringCredentials> credentials;
    private WebhookEndpoint endpoint;

    @BeforeEach
    void setUp() {
        jobs = new RecordingJenkinsJobs("churn-retrain", "team/churn-retrain", "deploy-prod");
        credentials = List.of(new TestStringCredentials("mlops-webhook-secret", KEY));
        endpoint = endpoint(new WebhookSettings("mlops-webhook-secret", Set.of("churn-retrain", "team/churn-retrain"), 60, 0, 300, null));
    }

    private WebhookEndpoint endpoint(WebhookSettings settings) {
        LocalArtifactStore store = new LocalArtifactStore(dir.resolve("registry"));
        Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
        WebhookReceiver receiver = new WebhookReceiver(() -> WebhookSecrets.fromCredentials(settings.secretCredentialsId(), credentials),
                new AllowListedJobLauncher(settings.allowedJobs(), jobs), new RetrainLedger(store, clock), new AuditLog(store, clock),
                settings.receiverSettings());
        return new WebhookEndpoint(() -> receiver);
    }

    private static byte[] body(String job) {
        return ("{\"schema\":\"mlops.retrain-request/v1\",\"id\":\"req-" + job.hashCode() + "\",\"job\":\"" + job + "\",\"model\":\"churn\","
                + "\"version\":\"4\",\"reason\":\"drift in 7 of 25 features\",\"reportLink\":\"https://ci.example/job/drift/12/\","
                + "\"requestedBy\":\"drift-bot\"}").getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, List<String>> signed(byte[] body, String key) {
        String nonce = String.format("nonce-%016d", nonces.incrementAndGet());
        WebhookSignature.Signed s = WebhookSignature.sign(WebhookSecret.of(key, "test"), NOW, nonce, body);
        return Map.of("X-Mlops-Timestamp", List.of(Long.toString(s.timestamp())), "x-mlops-nonce", List.of(s.nonce()),
                "X-Mlops-Signature", List.of(s.signature()));
    }

    private WebhookEndpoint.Reply post(String path, Map<String, List<String>> headers, byte[] body) throws IOException {
        return endpoint.handle("POST", path, headers, new ByteArrayInputStream(body));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(WebhookEndpoint.Reply reply) {
        return Json.fromBytes(reply.body(), Map.class);
    }

    @Test
    void signedRequestQueuesTheAllowListedJobWithParametersAndCause() throws IOException {
        byte[] body = body("churn-retrain");
        WebhookEndpoint.Reply reply = post(PATH, signed(body, KEY), body);

        assertEquals(202, reply.status(), reply.text());
        assertEquals("accepted", json(reply).get("outcome"));
        assertEquals("queue/item/1/", json(reply).get("location"));
        assertEquals("mlops.webhook-decision/v1", json(reply).get("schema"));
        assertEquals(1, jobs.scheduled.size());
        RecordingJenkinsJobs.Scheduled queued = jobs.scheduled.get(0);
        assertEquals("churn-retrain", queued.job());
        assertEquals("churn", queued.parameters().get("MLOPS_MODEL"));
        assertEquals("4", queued.parameters().get("MLOPS_VERSION"));
        assertEquals("drift in 7 of 25 features", queued.parameters().get("MLOPS_REASON"));
        assertEquals("https://ci.example/job/drift/12/", queued.parameters().get("MLOPS_REPORT"));
        assertTrue(queued.parameters().get("MLOPS_REQUEST").contains("\"requestedBy\":\"drift-bot\""));
        assertEquals("Started by mlops drift webhook: drift in 7 of 25 features", queued.cause().getShortDescription());
        assertEquals("drift-bot", queued.cause().getRequestedBy());
    }

    @Test
    void jobInThePathMustMatchTheSignedBody() throws IOException {
        byte[] body = body("team/churn-retrain");
        assertEquals(202, post(PATH + "/team/churn-retrain", signed(body, KEY), body).status());

        byte[] other = body("churn-retrain");
        WebhookEndpoint.Reply mismatch = post(PATH + "/deploy-prod", signed(other, KEY), other);
        assertEquals(400, mismatch.status());
        assertTrue(mismatch.text().contains("the URL names 'deploy-prod' but the signed body names 'churn-retrain'"), mismatch.text());
        assertEquals(1, jobs.scheduled.size());
    }

    @Test
    void jobThatExistsButIsNotAllowListedIs404AndNothingIsQueued() throws IOException {
        byte[] body = body("deploy-prod");
        WebhookEndpoint.Reply reply = post(PATH, signed(body, KEY), body);

        assertEquals(404, reply.status());
        assertEquals("unknown-job", json(reply).get("outcome"));
        assertTrue(jobs.scheduled.isEmpty());
    }

    @Test
    void allowListedJobMissingFromJenkinsIs404() throws IOException {
        endpoint = endpoint(new WebhookSettings("mlops-webhook-secret", Set.of("gone"), 0, 0, 300, null));
        byte[] body = body("gone");
        assertEquals(404, post(PATH, signed(body, KEY), body).status());
        assertTrue(jobs.scheduled.isEmpty());
    }

    @Test
    void wrongSignatureOrReplayIs401() throws IOException {
        byte[] body = body("churn-retrain");
        WebhookEndpoint.Reply forged = post(PATH, signed(body, "another-key-of-enough-length-000"), body);
        assertEquals(401, forged.status());
        assertTrue(jobs.scheduled.isEmpty());

        Map<String, List<String>> headers = signed(body, KEY);
        assertEquals(202, post(PATH, headers, body).status());
        WebhookEndpoint.Reply replay = post(PATH, headers, body);
        assertEquals(401, replay.status());
        assertTrue(replay.text().contains("replayed nonce"), replay.text());
        assertEquals(1, jobs.scheduled.size());
    }

    @Test
    void secondStartInsideTheCooldownIs429WithRetryAfter() throws IOException {
        byte[] body = body("churn-retrain");
        assertEquals(202, post(PATH, signed(body, KEY), body).status());
        WebhookEndpoint.Reply throttled = post(PATH, signed(body, KEY), body);

        assertEquals(429, throttled.status());
        assertEquals(3600, throttled.retryAfterSeconds());
        assertEquals(1, jobs.scheduled.size());
    }

    @Test
    void jenkinsRefusingToQueueIs503AndGivesTheSlotBack() throws IOException {
        jobs.refuse = true;
        byte[] body = body("churn-retrain");
        WebhookEndpoint.Reply refused = post(PATH, signed(body, KEY), body);
        assertEquals(503, refused.status());
        assertTrue(refused.text().contains("Jenkins did not queue 'churn-retrain'"), refused.text());

        jobs.refuse = false;
        assertEquals(202, post(PATH, signed(body, KEY), body).status(), "the failed start must not use the cool-down");
    }

    @Test
    void missingCredentialIs503NamingTheIdAndTheFix() throws IOException {
        credentials = List.of(new TestStringCredentials("some-other-secret", KEY));
        byte[] body = body("churn-retrain");
        WebhookEndpoint.Reply reply = post(PATH, signed(body, KEY), body);

        assertEquals(503, reply.status());
        assertEquals("not-configured", json(reply).get("outcome"));
        assertTrue(reply.text().contains("no Secret text credential with id 'mlops-webhook-secret'"), reply.text());
        assertFalse(reply.text().contains(KEY));
        assertTrue(jobs.scheduled.isEmpty());
    }

    @Test
    void onlyPostUnderTheEndpointIsServedAndBodiesAreBounded() throws IOException {
        WebhookEndpoint.Reply get = endpoint.handle("GET", PATH, Map.of(), new ByteArrayInputStream(new byte[0]));
        assertEquals(405, get.status());

        assertEquals(404, post("/mlops-webhook/other", Map.of(), new byte[0]).status());

        WebhookEndpoint.Reply huge = post(PATH, Map.of(), new byte[WebhookEndpoint.MAX_BODY + 1]);
        assertEquals(413, huge.status());
        assertTrue(jobs.scheduled.isEmpty());
    }

    @Test
    void pathJobNamesAreDecodedPerSegment() {
        assertNull(WebhookEndpoint.jobInPath(PATH));
        assertNull(WebhookEndpoint.jobInPath(PATH + "/"));
        assertEquals("team/churn retrain", WebhookEndpoint.jobInPath(PATH + "/team/churn%20retrain"));
    }
}
