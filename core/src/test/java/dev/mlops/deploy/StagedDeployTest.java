package dev.mlops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.error.AccessDeniedException;
import dev.mlops.error.ConflictException;
import dev.mlops.evaluate.Outcome;
import dev.mlops.json.Json;
import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRef;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.RegisterRequest;
import dev.mlops.serve.ModelServer;
import dev.mlops.serve.PredictorFactory;
import dev.mlops.serve.TrafficPolicy;
import dev.mlops.serve.VersionStatus;
import dev.mlops.storage.LocalArtifactStore;
import dev.mlops.storage.TransferListener;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole staged rollout against real model servers on 127.0.0.1 (in this JVM), moved through their real admin endpoint. */
class StagedDeployTest {
    static final ModelSchema SCHEMA = new ModelSchema(ModelSchema.CLASSIFICATION, List.of("a", "b"), "y", List.of("no", "yes"));
    static final Duration STEP = Duration.ofMillis(800);
    /** Small enough for short steps, high enough that a 10% canary of ~400 requests is judged. */
    static final RolloutPlan PLAN = new RolloutPlan(true, null, List.of("alice", "group:ml-leads"), List.of(10, 50, 100),
            new RolloutPlan.AnalysisThresholds(10, 0.01, 500, 0.5));

    @TempDir
    Path dir;
    ModelRegistry registry;
    Rollouts rollouts;
    InProcessTarget target;
    StagedDeploy deploy;
    Path holdout;
    final List<String> progress = new ArrayList<>();
    final AtomicBoolean candidateFails = new AtomicBoolean();
    final AtomicBoolean candidateUnloadable = new AtomicBoolean();
    final Caller ci = new Caller("ci", null);
    final ServerClient client = new ServerClient(Duration.ofSeconds(5));

    /** p(yes) = sigmoid(a + b + bias), bias read from the version's weights.txt; version 2 throws while {@link #candidateFails}. */
    record Linear(double bias, boolean candidate, AtomicBoolean fails) implements Predictor {
        @Override
        public ModelSchema schema() {
            return SCHEMA;
        }

        @Override
        public double[][] predict(float[][] rows) {
            if (candidate && fails.get()) {
                throw new IllegalStateException("injected failure");
            }
            double[][] p = new double[rows.length][];
            for (int r = 0; r < rows.length; r++) {
                double y = 1 / (1 + Math.exp(-(rows[r][0] + rows[r][1] + bias)));
                p[r] = new double[] {1 - y, y};
            }
            return p;
        }
    }

    PredictorFactory loader(double shift) {
        return modelDir -> {
            try {
                double bias = Double.parseDouble(Files.readString(modelDir.resolve("weights.txt")).trim());
                if (bias > 0.15 && candidateUnloadable.get()) {
                    throw new IllegalStateException("weights.txt: not a model this runtime can load");
                }
                return new Linear(bias + shift, bias > 0.15, candidateFails);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
    }

    @BeforeEach
    void setUp() throws IOException {
        registry = new ModelRegistry(new LocalArtifactStore(dir.resolve("registry")), Clock.systemUTC());
        for (int v = 1; v <= 2; v++) {
            Path model = dir.resolve("model-" + v);
            SCHEMA.write(model);
            Files.writeString(model.resolve("weights.txt"), v == 1 ? "0.1" : "0.2");
            registry.register(new RegisterRequest("churn", List.of(model.resolve("schema.json"), model.resolve("weights.txt")), "test", null,
                    Map.of(), Map.of(), Map.of(), null, null), ci, TransferListener.NONE);
        }
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 50; i++) {
            csv.append(i % 7 - 3).append(',').append((i * 3) % 5 - 2).append(',').append(i % 2 == 0 ? "yes" : "no").append('\n');
        }
        holdout = Files.writeString(dir.resolve("holdout.csv"), csv);
        rollouts = new Rollouts(registry, new RolloutStore(dir.resolve("rollouts")), new ListedApprovers(), Clock.systemUTC());
        target = new InProcessTarget(registry, () -> new ModelRegistry(new LocalArtifactStore(dir.resolve("registry")), Clock.systemUTC()),
                dir.resolve("deployments"), loader(0));
        deploy = staged(loader(0));
    }

    StagedDeploy staged(PredictorFactory offline) {
        return new StagedDeploy(registry, rollouts, target, client, offline, dir.resolve("scratch"), progress::add);
    }

    @AfterEach
    void tearDown() {
        target.close();
        registry.close();
    }

    /** Production runs version 1 (alias set); version 2 goes to staging, passes smoke and is approved by alice. */
    RolloutStatus approvedCandidate() {
        registry.setAlias("churn", "production", 1, 0, ci, "first release");
        target.deploy("churn", 1, "production", 0);
        RolloutStatus s = rollouts.begin("churn", 2, PLAN, ci);
        Deployment staging = target.deploy("churn", 2, "staging", 0);
        rollouts.apply("churn", s.id(), new RolloutEvent.StagingDeployed("ci", staging.url().toString()), ci);
        StagedDeploy.SmokeOutcome smoke = deploy.smoke("churn", holdout, null, 20, ci);
        assertEquals(Outcome.PASS, smoke.gate().outcome(), smoke.gate().reasons().toString());
        assertEquals(RolloutState.AWAITING_APPROVAL, smoke.status().state());
        return rollouts.approve("churn", s.id(), "alice", Set.of(), List.of(), ci);
    }

    TrafficGenerator traffic() {
        return new TrafficGenerator(client, "churn", StagedDeploy.features(holdout, SCHEMA, null, 50), 500);
    }

    int production() {
        return registry.get(ModelRef.parse("churn@production")).version();
    }

    /** The version that answers a plain infer request at production's URL. */
    int answeringVersion() throws IOException {
        Deployment d = target.find("production").orElseThrow();
        ServerClient.Response r = client.post(d.url().resolve("/v2/models/churn/infer"), SmokeGate.request(new float[][] {{1, 2}}), null);
        assertEquals(200, r.status(), r.body());
        JsonNode answer = Json.mapper().readTree(r.body());
        return answer.get("model_version").asInt();
    }

    /** The versions loaded in the production server. */
    List<Integer> loaded() {
        return target.server("production").versionStatuses().stream().map(VersionStatus::version).toList();
    }

    /** Sends inference requests to production without pause until closed; counts those not answered 200. */
    final class Client implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong sent = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final Thread thread;

        Client(URI production) {
            String body = SmokeGate.request(new float[][] {{1, 2}});
            thread = new Thread(() -> {
                while (running.get()) {
                    sent.incrementAndGet();
                    try {
                        ServerClient.Response r = client.post(production.resolve("/v2/models/churn/infer"), body, null);
                        if (r.status() != 200) {
                            failed.incrementAndGet();
                            failures.add(r.status() + " " + r.body());
                        }
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        failures.add(e.getMessage());
                    }
                }
            });
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    @Test
    void productionAnswersEveryRequestWhileTheCandidateIsLoadedRaisedAndPromoted() throws Exception {
        approvedCandidate();
        ModelServer before = target.server("production");
        Client steady;
        RolloutStatus s;
        try (Client c = new Client(target.find("production").orElseThrow().url())) {
            steady = c;
            s = deploy.canary("churn", 0, traffic(), STEP, ci);
        }
        assertEquals(RolloutState.PROMOTED, s.state(), progress.toString());
        assertTrue(steady.sent.get() > 100, "requests sent: " + steady.sent);
        assertEquals(0, steady.failed.get(), steady.failed + " of " + steady.sent + " failed: " + steady.failures.stream().limit(5).toList());
        assertSame(before, target.server("production"), "production was never restarted");
        assertTrue(progress.stream().anyMatch(p -> p.startsWith("production at ") && p.contains("with churn:2 loaded beside it at 0% (loaded in ")
                && p.endsWith("no restart)")), progress.toString());
    }

    @Test
    void aCandidateThatCannotBeLoadedFailsTheRolloutAndProductionKeepsServing() throws IOException {
        approvedCandidate();
        ModelServer before = target.server("production");
        candidateUnloadable.set(true);
        DeployException e = assertThrows(DeployException.class, () -> deploy.canary("churn", 0, traffic(), STEP, ci));
        assertEquals("deploy: loading churn:2 into production failed: weights.txt: not a model this runtime can load; it keeps serving what it served",
                e.getMessage());
        assertEquals(RolloutState.FAILED, rollouts.store().latest("churn").orElseThrow().state());
        assertSame(before, target.server("production"));
        assertEquals(TrafficPolicy.primaryOnly("churn", 1), before.policy("churn"));
        assertEquals(1, answeringVersion());
        assertEquals(1, production());
    }

    @Test
    void canaryGoesTenFiftyHundredAndPromotes() throws IOException {
        approvedCandidate();
        RolloutStatus s = deploy.canary("churn", 0, traffic(), STEP, ci);
        assertEquals(RolloutState.PROMOTED, s.state(), progress.toString());
        assertEquals(2, production());
        assertEquals(TrafficPolicy.primaryOnly("churn", 2), target.server("production").policy("churn"));
        assertEquals(2, answeringVersion());
        assertEquals(List.of(2), loaded(), "the previous version is unloaded after promotion");
        assertTrue(progress.contains("unloaded churn:1 from production (no traffic routes to it)"), progress.toString());
        List<String> steps = progress.stream().filter(p -> p.startsWith("step ")).toList();
        assertEquals(3, steps.size(), progress.toString());
        assertTrue(steps.get(0).contains("takes 10% of traffic"), steps.get(0));
        assertTrue(steps.get(1).contains("takes 50% of traffic"), steps.get(1));
        assertTrue(steps.get(2).contains("takes 100% of traffic"), steps.get(2));
        assertTrue(target.find("staging").isEmpty(), "the finished rollout's staging deployment is stopped");
    }

    @Test
    void promoteWithoutCanarySwitchesProductionInPlaceAndEndsTheRollout() throws IOException {
        approvedCandidate();
        ModelServer before = target.server("production");
        RolloutStatus s = deploy.promote("churn", 0, ci);
        assertEquals(RolloutState.PROMOTED, s.state(), progress.toString());
        assertEquals(2, production());
        assertSame(before, target.server("production"), "production was never restarted");
        assertEquals(TrafficPolicy.primaryOnly("churn", 2), before.policy("churn"));
        assertEquals(2, answeringVersion());
        assertEquals(List.of(2), loaded(), "the previous version is unloaded");
        assertTrue(rollouts.store().active("churn").isEmpty(), "the rollout ended, so the next build can start one");
        assertTrue(target.find("staging").isEmpty(), "the finished rollout's staging deployment is stopped");
    }

    @Test
    void promoteBeforeApprovalIsRefusedAndChangesNothing() throws IOException {
        registry.setAlias("churn", "production", 1, 0, ci, "first release");
        target.deploy("churn", 1, "production", 0);
        RolloutStatus s = rollouts.begin("churn", 2, PLAN, ci);
        Deployment staging = target.deploy("churn", 2, "staging", 0);
        rollouts.apply("churn", s.id(), new RolloutEvent.StagingDeployed("ci", staging.url().toString()), ci);
        deploy.smoke("churn", holdout, null, 20, ci);
        ConflictException e = assertThrows(ConflictException.class, () -> deploy.promote("churn", 0, ci));
        assertTrue(e.getMessage().contains("approve it first: `mlops deploy approve churn --as USER`"), e.getMessage());
        assertEquals(1, production());
        assertEquals(TrafficPolicy.primaryOnly("churn", 1), target.server("production").policy("churn"));
    }

    @Test
    void injectedCanaryErrorsRollBackAutomaticallyAndProductionKeepsAnswering() throws IOException {
        approvedCandidate();
        candidateFails.set(true);
        RolloutStatus s = deploy.canary("churn", 0, traffic(), STEP, ci);
        assertEquals(RolloutState.ROLLED_BACK, s.state(), progress.toString());
        assertEquals(0, s.stepIndex(), "rolled back at the first step");
        assertTrue(s.history().get(s.history().size() - 1).why().contains("error rate"), s.history().toString());
        assertEquals(1, production(), "the alias never moved");
        assertEquals(TrafficPolicy.primaryOnly("churn", 1), target.server("production").policy("churn"));
        for (int i = 0; i < 20; i++) {
            assertEquals(1, answeringVersion(), "production answers with the previous version");
        }
        assertEquals(List.of(1), loaded(), "the rolled-back candidate is unloaded");
        assertTrue(progress.get(progress.size() - 2).startsWith("ROLLED_BACK: 100% of traffic back to churn:1 (automatic)"), progress.toString());
    }

    @Test
    void tooLittleTrafficPausesUntilAListedApproverResumes() {
        approvedCandidate();
        RolloutStatus s = deploy.canary("churn", 0, StagedDeploy.StepTraffic.WAIT, Duration.ofMillis(200), ci);
        assertEquals(RolloutState.PAUSED_INCONCLUSIVE, s.state(), progress.toString());
        assertEquals(10, s.canaryWeight());
        assertEquals(10, target.server("production").policy("churn").canaryWeight(), "the canary keeps its weight while paused");
        assertEquals(1, production());
        assertTrue(s.pause().reason().contains("only 0 requests"), s.pause().reason());

        AccessDeniedException refused = assertThrows(AccessDeniedException.class,
                () -> deploy.resume("churn", "mallory", Set.of(), "go", traffic(), STEP, ci));
        assertTrue(refused.getMessage().contains("mallory is not an approver; ask one of: alice, group:ml-leads"), refused.getMessage());
        assertThrows(AccessDeniedException.class, () -> deploy.abort("churn", "mallory", Set.of(), "stop", ci));

        s = deploy.resume("churn", "carol", Set.of("ml-leads"), "low traffic tonight", traffic(), STEP, ci);
        assertEquals(RolloutState.PROMOTED, s.state(), progress.toString());
        assertEquals(2, production());
    }

    @Test
    void abortOfAPausedCanarySendsAllTrafficBack() throws IOException {
        approvedCandidate();
        deploy.canary("churn", 0, StagedDeploy.StepTraffic.WAIT, Duration.ofMillis(100), ci);
        RolloutStatus s = deploy.abort("churn", "alice", Set.of(), "not tonight", ci);
        assertEquals(RolloutState.ROLLED_BACK, s.state());
        assertEquals(TrafficPolicy.primaryOnly("churn", 1), target.server("production").policy("churn"));
        assertEquals(List.of(1), loaded(), "the aborted candidate is unloaded");
        assertEquals(1, answeringVersion());
        assertEquals(1, production());
    }

    @Test
    void canaryWaitsForApprovalAndApprovalSettlesOnce() {
        registry.setAlias("churn", "production", 1, 0, ci, "first release");
        target.deploy("churn", 1, "production", 0);
        ModelServer before = target.server("production");
        RolloutStatus s = rollouts.begin("churn", 2, PLAN, ci);
        rollouts.apply("churn", s.id(), new RolloutEvent.StagingDeployed("ci", target.deploy("churn", 2, "staging", 0).url().toString()), ci);
        deploy.smoke("churn", holdout, "y", 10, ci);
        ConflictException early = assertThrows(ConflictException.class, () -> deploy.canary("churn", 0, traffic(), STEP, ci));
        assertTrue(early.getMessage().contains("approve it first: `mlops deploy approve churn --as USER` (approvers: alice, group:ml-leads)"),
                early.getMessage());
        String id = s.id();
        AccessDeniedException unlisted = assertThrows(AccessDeniedException.class,
                () -> rollouts.approve("churn", id, "bob", Set.of("interns"), List.of(), ci));
        assertEquals(String.format(ListedApprovers.REFUSED, "approve", id, "churn", 2, "bob", "alice, group:ml-leads"), unlisted.getMessage());
        rollouts.approve("churn", id, "carol", Set.of("ml-leads"), List.of(), ci);
        ConflictException twice = assertThrows(ConflictException.class, () -> rollouts.approve("churn", id, "alice", Set.of(), List.of(), ci));
        assertTrue(twice.getMessage().startsWith("cannot approve: already approved by carol at "), twice.getMessage());
        assertSame(before, target.server("production"), "no production deployment was started or touched before the canary");
    }

    @Test
    void failedSmokeEndsTheRolloutAndNeverTouchesProduction() throws IOException {
        registry.setAlias("churn", "production", 1, 0, ci, "first release");
        target.deploy("churn", 1, "production", 0);
        ModelServer production = target.server("production");
        RolloutStatus s = rollouts.begin("churn", 2, PLAN, ci);
        rollouts.apply("churn", s.id(), new RolloutEvent.StagingDeployed("ci", target.deploy("churn", 2, "staging", 0).url().toString()), ci);
        StagedDeploy.SmokeOutcome smoke = staged(loader(0.5)).smoke("churn", holdout, null, 20, ci);
        assertEquals(Outcome.FAIL, smoke.gate().outcome());
        assertEquals(RolloutState.FAILED, smoke.status().state());
        assertTrue(smoke.gate().reasons().get(0).startsWith("smoke: 20 of 20 rows differ from the offline predictions"), smoke.gate().reasons().toString());
        assertTrue(target.find("staging").isEmpty(), "the failed candidate's staging deployment is stopped");
        assertSame(production, target.server("production"));
        assertEquals(1, answeringVersion());
        assertEquals(1, production());
    }

    @Test
    void firstModelGoesToProductionDirectlyAfterApproval() throws IOException {
        RolloutStatus s = rollouts.begin("churn", 1, PLAN, ci);
        rollouts.apply("churn", s.id(), new RolloutEvent.StagingDeployed("ci", target.deploy("churn", 1, "staging", 0).url().toString()), ci);
        deploy.smoke("churn", holdout, null, 10, ci);
        rollouts.approve("churn", s.id(), "alice", Set.of(), List.of(), ci);
        s = deploy.canary("churn", 0, traffic(), STEP, ci);
        assertEquals(RolloutState.PROMOTED, s.state());
        assertEquals(1, production());
        assertNotNull(target.server("production"));
        assertEquals(1, answeringVersion());
        assertTrue(progress.stream().anyMatch(p -> p.contains("has no production version yet: deploying churn:1 to production directly")),
                progress.toString());
    }
}
