package dev.mlops.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.audit.AuditEvent;
import dev.mlops.audit.AuditLog;
import dev.mlops.storage.LocalArtifactStore;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrainerTest {
    private static final Instant START = Instant.parse("2025-03-10T08:00:00Z");
    private static final RetrainRequest DRIFT = new RetrainRequest("churn", "4", "drift in 7 of 25 features",
            Map.of("driftShare", 0.28, "drifted", List.of("age", "tenure")), URI.create("https://ci.example/job/drift/12/mlops-drift/"));

    @TempDir
    Path dir;
    final RetrainFixtures.MutableClock clock = new RetrainFixtures.MutableClock(START);
    final List<String> log = new ArrayList<>();

    private Retrainer retrainer(RetrainTrigger trigger, RetrainPolicy policy) {
        LocalArtifactStore store = new LocalArtifactStore(dir.resolve("registry"));
        return new Retrainer(trigger, policy, new RetrainLedger(store, clock), new AuditLog(store, clock), log::add);
    }

    private List<AuditEvent> audit() {
        return new AuditLog(new LocalArtifactStore(dir.resolve("registry")), clock).read(1, 0);
    }

    private JenkinsRemoteTrigger jenkins(RetrainFixtures.Endpoint endpoint) {
        return new JenkinsRemoteTrigger(endpoint.uri("/jenkins"), "team/churn-retrain", "mlops-bot", RetrainFixtures.secret(), RetrainFixtures.FAST_RETRY);
    }

    @Test
    void triggersJenkinsBuildWithParametersByApiToken() throws Exception {
        try (RetrainFixtures.Endpoint endpoint = new RetrainFixtures.Endpoint(201)) {
            RetrainOutcome outcome = retrainer(jenkins(endpoint), RetrainPolicy.of(360, 2, RetrainMode.TRIGGER)).request(DRIFT, "drift-bot", "drift#12");

            assertEquals(RetrainOutcome.Status.TRIGGERED, outcome.status());
            assertEquals(endpoint.uri("/queue/item/1/").toString(), outcome.delivery().location());
            RetrainFixtures.Received request = endpoint.requests.get(0);
            assertEquals("POST", request.method());
            assertEquals("/jenkins/job/team/job/churn-retrain/buildWithParameters", request.path());
            String auth = request.headers().get("Authorization").get(0);
            assertEquals("mlops-bot:" + RetrainFixtures.SECRET, new String(Base64.getDecoder().decode(auth.substring("Basic ".length())), StandardCharsets.UTF_8));
            String form = URLDecoder.decode(request.body(), StandardCharsets.UTF_8);
            assertTrue(form.contains("MLOPS_MODEL=churn&MLOPS_VERSION=4&MLOPS_REASON=drift in 7 of 25 features"), form);
            assertTrue(form.contains("MLOPS_REPORT=https://ci.example/job/drift/12/mlops-drift/"), form);
            assertTrue(form.contains("\"schema\":\"mlops.retrain-request/v1\""), form);
            AuditEvent event = audit().get(0);
            assertEquals(Retrainer.A_TRIGGER, event.action());
            assertEquals("model/churn:4", event.target());
            assertEquals("drift in 7 of 25 features", event.reason());
            assertEquals(outcome.delivery().location(), event.details().get("location"));
        }
    }

    @Test
    void retriesServiceUnavailableThenSucceeds() throws Exception {
        try (RetrainFixtures.Endpoint endpoint = new RetrainFixtures.Endpoint(503, 503, 201)) {
            RetrainOutcome outcome = retrainer(jenkins(endpoint), RetrainPolicy.of(0, 0, RetrainMode.TRIGGER)).request(DRIFT, "drift-bot", null);
            assertEquals(3, outcome.delivery().attempts());
            assertEquals(3, endpoint.calls.get());
        }
    }

    @Test
    void signedWebhookRetriesWithAFreshNoncePerAttempt() throws Exception {
        try (RetrainFixtures.Endpoint endpoint = new RetrainFixtures.Endpoint(502, 202)) {
            SignedWebhookTrigger trigger = new SignedWebhookTrigger(endpoint.uri("/hook"), "churn-retrain", RetrainFixtures.secret(), RetrainFixtures.FAST_RETRY, clock);
            retrainer(trigger, RetrainPolicy.of(0, 0, RetrainMode.TRIGGER)).request(DRIFT, "drift-bot", null);
            List<String> nonces = endpoint.requests.stream().map(r -> r.headers().get(WebhookSignature.NONCE_HEADER).get(0)).toList();
            assertEquals(2, nonces.size());
            assertFalse(nonces.get(0).equals(nonces.get(1)));
            RetrainFixtures.Received last = endpoint.requests.get(1);
            assertTrue(WebhookSignature.verify(RetrainFixtures.secret(), last.headers().get(WebhookSignature.TIMESTAMP_HEADER).get(0), nonces.get(1),
                    last.body().getBytes(StandardCharsets.UTF_8), last.headers().get(WebhookSignature.SIGNATURE_HEADER).get(0)));
        }
    }

    @Test
    void doesNotRetryClientErrorsAndReleasesTheCooldown() throws Exception {
        try (RetrainFixtures.Endpoint endpoint = new RetrainFixtures.Endpoint(400, 201)) {
            Retrainer retrainer = retrainer(jenkins(endpoint), RetrainPolicy.of(360, 2, RetrainMode.TRIGGER));
            RetrainDeliveryException refused = assertThrows(RetrainDeliveryException.class, () -> retrainer.request(DRIFT, "drift-bot", null));
            assertEquals(400, refused.status());
            assertEquals(1, endpoint.calls.get());
            assertTrue(refused.getMessage().contains("not retried"), refused.getMessage());
            assertFalse(refused.getMessage().contains(RetrainFixtures.SECRET));
            assertEquals(Retrainer.A_FAILED, audit().get(0).action());
            // the failed attempt neither blocks the cool-down nor uses budget
            assertEquals(RetrainOutcome.Status.TRIGGERED, retrainer.request(DRIFT, "drift-bot", null).status());
        }
    }

    @Test
    void givesUpAfterBoundedAttemptsWhenNothingListens() throws Exception {
        int port;
        try (RetrainFixtures.Endpoint closed = new RetrainFixtures.Endpoint(200)) {
            port = closed.port();
        }
        SignedWebhookTrigger trigger = new SignedWebhookTrigger(URI.create("http://127.0.0.1:" + port + "/hook"), "churn-retrain",
                RetrainFixtures.secret(), RetrainFixtures.FAST_RETRY, clock);
        RetrainDeliveryException down = assertThrows(RetrainDeliveryException.class,
                () -> retrainer(trigger, RetrainPolicy.of(0, 0, RetrainMode.TRIGGER)).request(DRIFT, "drift-bot", null));
        assertEquals(4, down.attempts());
        assertEquals(0, down.status());
        assertTrue(down.getMessage().contains("gave up after 4 attempts"), down.getMessage());
    }

    @Test
    void cooldownSuppressesASecondTriggerAcrossInvocations() throws Exception {
        try (RetrainFixtures.Endpoint endpoint = new RetrainFixtures.Endpoint(201)) {
            RetrainPolicy policy = RetrainPolicy.of(360, 10, RetrainMode.TRIGGER);
            assertEquals(RetrainOutcome.Status.TRIGGERED, retrainer(jenkins(endpoint), policy).request(DRIFT, "drift-bot", null).status());
            clock.advance(Duration.ofMinutes(359));
            // a new Retrainer over the same store stands for a separate CLI run
            RetrainOutcome second = retrainer(jenkins(endpoint), policy).request(DRIFT, "drift-bot", null);
            assertEquals(RetrainOutcome.Status.SUPPRESSED, second.status());
            assertTrue(second.reason().startsWith("cool-down:"), second.reason());
            assertEquals(60, second.retryAfterSeconds());
            assertEquals(1, endpoint.calls.get());
            AuditEvent suppressed = audit().get(1);
            assertEquals(Retrainer.A_SUPPRESS, suppressed.action());
            assertEquals("cooldown", suppressed.details().get("refusal"));
            clock.advance(Duration.ofMinutes(1));
            assertEquals(RetrainOutcome.Status.TRIGGERED, retrainer(jenkins(endpoint), policy).request(DRIFT, "drift-bot", null).status());
        }
    }

    @Test
    void dailyBudgetCountsPerUtcDay() throws Exception {
        try (RetrainFixtures.Endpoint endpoint = new RetrainFixtures.Endpoint(201)) {
            Retrainer retrainer = retrainer(jenkins(endpoint), RetrainPolicy.of(0, 2, RetrainMode.TRIGGER));
            retrainer.request(DRIFT, "drift-bot", null);
            retrainer.request(DRIFT, "drift-bot", null);
            RetrainOutcome third = retrainer.request(DRIFT, "drift-bot", null);
            assertEquals(RetrainOutcome.Status.SUPPRESSED, third.status());
            assertTrue(third.reason().startsWith("budget:"), third.reason());
            assertEquals(Duration.ofHours(16).toSeconds(), third.retryAfterSeconds());
            clock.advance(Duration.ofHours(16));
            assertEquals(RetrainOutcome.Status.TRIGGERED, retrainer.request(DRIFT, "drift-bot", null).status());
            assertEquals(3, endpoint.calls.get());
        }
    }

    @Test
    void dryRunSendsNothingAndSaysWhatItWouldSend() throws Exception {
        try (RetrainFixtures.Endpoint endpoint = new RetrainFixtures.Endpoint(201)) {
            RetrainOutcome outcome = retrainer(jenkins(endpoint), RetrainPolicy.of(360, 2, RetrainMode.DRY_RUN)).request(DRIFT, "drift-bot", null);
            assertEquals(RetrainOutcome.Status.DRY_RUN, outcome.status());
            assertEquals(0, endpoint.calls.get());
            assertTrue(outcome.wouldSend().contains("job/team/job/churn-retrain/buildWithParameters"), outcome.wouldSend());
            assertFalse(outcome.wouldSend().contains(RetrainFixtures.SECRET));
            assertFalse(String.join("\n", log).contains(RetrainFixtures.SECRET));
            assertEquals(Retrainer.A_DRY_RUN, audit().get(0).action());
            // a dry run does not start the cool-down
            assertEquals(RetrainOutcome.Status.TRIGGERED, retrainer(jenkins(endpoint), RetrainPolicy.of(360, 2, RetrainMode.TRIGGER)).request(DRIFT, "drift-bot", null).status());
        }
    }

    @Test
    void pauseRecordsOneDecisionForAHumanAndSendsNothing() throws Exception {
        try (RetrainFixtures.Endpoint endpoint = new RetrainFixtures.Endpoint(201)) {
            Retrainer retrainer = retrainer(jenkins(endpoint), RetrainPolicy.of(360, 2, RetrainMode.PAUSE));
            RetrainOutcome paused = retrainer.request(DRIFT, "drift-bot", null);
            assertEquals(RetrainOutcome.Status.PAUSED, paused.status());
            assertTrue(paused.reason().startsWith("needs a human"), paused.reason());
            LedgerState state = new RetrainLedger(new LocalArtifactStore(dir.resolve("registry")), clock).state(Retrainer.subject("churn"));
            assertNotNull(state.pending());
            assertEquals("4", state.pending().version());
            assertEquals(RetrainOutcome.Status.SUPPRESSED, retrainer.request(DRIFT, "drift-bot", null).status());
            assertEquals(0, endpoint.calls.get());
            assertEquals(List.of(Retrainer.A_PAUSE, Retrainer.A_SUPPRESS), audit().stream().map(AuditEvent::action).toList());
        }
    }

    @Test
    void concurrentReservationsAdmitExactlyOne() throws Exception {
        RetrainPolicy policy = RetrainPolicy.of(60, 0, RetrainMode.TRIGGER);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Admission>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                // each its own store instance, as separate processes would have
                attempts.add(() -> new RetrainLedger(new LocalArtifactStore(dir.resolve("registry")), clock).reserve("model/churn", policy));
            }
            long admitted = 0;
            for (Future<Admission> f : pool.invokeAll(attempts)) {
                admitted += f.get().admitted() ? 1 : 0;
            }
            assertEquals(1, admitted);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void ledgerKeysCannotEscapeTheirFolder() {
        assertEquals("retrain/ledger/job=2Fteam=2F=2E=2E=2Fx.json", RetrainLedger.key("job/team/../x"));
    }
}
