package dev.mlops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.audit.AuditEvent;
import dev.mlops.error.AccessDeniedException;
import dev.mlops.error.ConflictException;
import dev.mlops.evaluate.Outcome;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRef;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.RegisterRequest;
import dev.mlops.serve.TrafficPolicy;
import dev.mlops.storage.LocalArtifactStore;
import dev.mlops.storage.TransferListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutsTest {
    @TempDir
    Path dir;
    ModelRegistry registry;
    Rollouts rollouts;
    StubServer server;
    final List<TrafficPolicy> traffic = new ArrayList<>();
    final Caller ci = new Caller("ci", null);
    final ServerClient client = new ServerClient(Duration.ofSeconds(5));

    @BeforeEach
    void setUp() throws IOException {
        registry = new ModelRegistry(new LocalArtifactStore(dir.resolve("registry")), Clock.systemUTC());
        Path file = Files.writeString(dir.resolve("model.bin"), "w");
        for (int i = 0; i < 4; i++) {
            Files.writeString(file, "weights " + i);
            registry.register(new RegisterRequest("churn", List.of(file), "onnx", null, Map.of(), Map.of(), Map.of(), null, null), ci,
                    TransferListener.NONE);
        }
        registry.setAlias("churn", "production", 3, 0, ci, "first release");
        rollouts = new Rollouts(registry, new RolloutStore(dir.resolve("rollouts")), new ListedApprovers(), Clock.systemUTC());
        server = new StubServer();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    /** Begins a rollout of version 4 and takes it through staging, smoke and approval. */
    RolloutStatus approvedRollout() {
        RolloutStatus s = rollouts.begin("churn", 4, RolloutPlan.standard(List.of("alice", "group:ml-leads")), ci);
        rollouts.apply("churn", s.id(), new RolloutEvent.StagingDeployed("ci", server.url().toString()), ci);
        GateResult smoke = new SmokeGate(client, SmokeGate.DEFAULT_TOLERANCE).check(server.url(), "churn", 4,
                new float[][] {{1, 2}, {3, 4}}, new double[][] {{0.2, 0.8}, {0.6, 0.4}});
        assertEquals(Outcome.PASS, smoke.outcome(), smoke.reasons().toString());
        rollouts.apply("churn", s.id(), new RolloutEvent.SmokeResult("ci", smoke.outcome(), smoke.reasons(), List.of("http://ci/7/smoke")), ci);
        rollouts.apply("churn", s.id(), new RolloutEvent.ApprovalRequested("ci"), ci);
        return rollouts.approve("churn", s.id(), "alice", Set.of(), List.of("http://ci/7/report.html"), ci);
    }

    RolloutStatus step(RolloutStatus s, int code, int requests) {
        return rollouts.runStep("churn", s.id(), client, server.url(), null, () -> {
            server.observe("churn", 4, 200, requests, 0.004);
            if (code != 200) {
                server.observe("churn", 4, code, requests / 2, 0.004);
            }
            server.observe("churn", 3, 200, requests * 4, 0.003);
        }, traffic::add, ci);
    }

    int production() {
        return registry.get(ModelRef.parse("churn@production")).version();
    }

    @Test
    void stepsThroughTenFiftyHundredAndPromotesMovingTheAlias() {
        RolloutStatus s = approvedRollout();
        assertEquals("alice", s.approval().by());
        s = rollouts.startCanary("churn", s.id(), traffic::add, ci);
        assertEquals(10, s.canaryWeight());
        s = step(s, 200, 100);
        assertEquals(50, s.canaryWeight());
        s = step(s, 200, 100);
        assertEquals(100, s.canaryWeight());
        assertEquals(RolloutState.CANARY, s.state());
        s = step(s, 200, 100);
        assertEquals(RolloutState.PROMOTED, s.state());
        assertEquals(4, production());
        assertEquals(List.of(10, 50, 100, 0), traffic.stream().map(TrafficPolicy::canaryWeight).toList());
        assertEquals(TrafficPolicy.primaryOnly("churn", 4), traffic.get(traffic.size() - 1));
        assertEquals(s, rollouts.store().load("churn", s.id()), "the persisted status is the returned one");
        List<AuditEvent> events = registry.audit().read(0, 0).stream().filter(e -> e.action().startsWith("rollout.")).toList();
        assertEquals(List.of("rollout.begin", "rollout.staging-deployed", "rollout.smoke-result", "rollout.approval-requested",
                "rollout.approved", "rollout.canary-started", "rollout.canary-step-analysed", "rollout.canary-step-analysed",
                "rollout.canary-step-analysed"), events.stream().map(AuditEvent::action).toList());
        AuditEvent approved = events.get(4);
        assertEquals("alice", approved.actor());
        assertEquals("AWAITING_APPROVAL", approved.details().get("from"));
        assertEquals("APPROVED", approved.details().get("to"));
        assertEquals("http://ci/7/report.html", approved.details().get("evidence"));
        assertEquals("PROMOTED", events.get(8).details().get("to"));
    }

    @Test
    void rollsBackAutomaticallyOnCanaryErrorsLeavingProductionAlone() {
        RolloutStatus s = rollouts.startCanary("churn", approvedRollout().id(), traffic::add, ci);
        s = step(s, 500, 100);
        assertEquals(RolloutState.ROLLED_BACK, s.state());
        assertTrue(s.history().get(s.history().size() - 1).why().contains("error rate 0.3333 above 0.0100"), s.history().toString());
        assertEquals(3, production());
        assertEquals(TrafficPolicy.primaryOnly("churn", 3), traffic.get(traffic.size() - 1));
        String id = s.id();
        assertThrows(ConflictException.class, () -> rollouts.startCanary("churn", id, traffic::add, ci), "a rolled-back rollout is final");
    }

    @Test
    void pausesOnTooFewRequestsAndWaitsForAHuman() {
        RolloutStatus s = rollouts.startCanary("churn", approvedRollout().id(), traffic::add, ci);
        s = step(s, 200, 5);
        assertEquals(RolloutState.PAUSED_INCONCLUSIVE, s.state());
        assertEquals(10, s.canaryWeight());
        assertTrue(s.pause().reason().contains("only 5 requests"), s.pause().reason());
        assertEquals(1, traffic.size(), "no traffic change while paused");
        assertEquals(3, production());
        String id = s.id();
        assertThrows(AccessDeniedException.class, () -> rollouts.resume("churn", id, "mallory", Set.of(), "go", traffic::add, ci));
        s = rollouts.resume("churn", id, "carol", Set.of("ml-leads"), "traffic is just low tonight", traffic::add, ci);
        assertEquals(RolloutState.CANARY, s.state());
        assertEquals(50, s.canaryWeight());
    }

    @Test
    void refusesUnlistedApproversNamingWhoMayAndSettlesOnce() {
        RolloutStatus s = rollouts.begin("churn", 4, RolloutPlan.standard(List.of("alice", "group:ml-leads")), ci);
        rollouts.apply("churn", s.id(), new RolloutEvent.StagingDeployed("ci", "http://x/"), ci);
        rollouts.apply("churn", s.id(), new RolloutEvent.SmokeResult("ci", Outcome.PASS, List.of(), List.of()), ci);
        rollouts.apply("churn", s.id(), new RolloutEvent.ApprovalRequested("ci"), ci);
        AccessDeniedException refused = assertThrows(AccessDeniedException.class,
                () -> rollouts.approve("churn", s.id(), "bob", Set.of("data-eng"), List.of(), ci));
        assertEquals(String.format(ListedApprovers.REFUSED, "approve", s.id(), "churn", 4, "bob", "alice, group:ml-leads"), refused.getMessage());
        RolloutStatus approved = rollouts.approve("churn", s.id(), "carol", Set.of("ml-leads"), List.of(), ci);
        assertEquals("carol", approved.approval().by());
        ConflictException twice = assertThrows(ConflictException.class, () -> rollouts.approve("churn", s.id(), "alice", Set.of(), List.of(), ci));
        assertEquals(String.format(Rollout.ALREADY_APPROVED, "carol", approved.approval().since()), twice.getMessage());
    }

    @Test
    void aListedApproverAbortsAndOthersCannot() {
        RolloutStatus s = rollouts.startCanary("churn", approvedRollout().id(), traffic::add, ci);
        assertThrows(AccessDeniedException.class, () -> rollouts.abort("churn", s.id(), "bob", Set.of(), "no", traffic::add, ci));
        RolloutStatus aborted = rollouts.abort("churn", s.id(), "alice", Set.of(), "customer complaint", traffic::add, ci);
        assertEquals(RolloutState.ROLLED_BACK, aborted.state());
        assertEquals(TrafficPolicy.primaryOnly("churn", 3), traffic.get(traffic.size() - 1));
        assertEquals(3, production());
    }

    @Test
    void promotionRecordsFailureWhenTheAliasMovedMeanwhile() {
        RolloutStatus s = rollouts.startCanary("churn", approvedRollout().id(), traffic::add, ci);
        s = step(s, 200, 100);
        s = step(s, 200, 100);
        registry.setAlias("churn", "production", 2, 3, ci, "hotfix by hand");
        RolloutStatus last = s;
        ConflictException e = assertThrows(ConflictException.class, () -> step(last, 200, 100));
        assertTrue(e.getMessage().contains("someone moved it"), e.getMessage());
        assertEquals(2, production());
        assertEquals(RolloutState.FAILED, rollouts.store().load("churn", s.id()).state());
    }

    @Test
    void oneLiveRolloutPerModel() {
        rollouts.begin("churn", 4, RolloutPlan.standard(List.of("alice")), ci);
        ConflictException e = assertThrows(ConflictException.class, () -> rollouts.begin("churn", 4, RolloutPlan.standard(List.of()), ci));
        assertTrue(e.getMessage().contains("finish or abort it first"), e.getMessage());
    }
}
