package dev.mlops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.deploy.RolloutEvent.Abort;
import dev.mlops.deploy.RolloutEvent.ApprovalRequested;
import dev.mlops.deploy.RolloutEvent.Approved;
import dev.mlops.deploy.RolloutEvent.CanaryStarted;
import dev.mlops.deploy.RolloutEvent.CanaryStepAnalysed;
import dev.mlops.deploy.RolloutEvent.Promote;
import dev.mlops.deploy.RolloutEvent.Rejected;
import dev.mlops.deploy.RolloutEvent.Resumed;
import dev.mlops.deploy.RolloutEvent.SmokeResult;
import dev.mlops.deploy.RolloutEvent.StagingDeployed;
import dev.mlops.error.ConflictException;
import dev.mlops.evaluate.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutTest {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final RolloutPlan WITH_APPROVAL = RolloutPlan.standard(List.of("alice"));
    static final RolloutPlan NO_APPROVAL = RolloutPlan.standard(List.of());

    static RolloutStatus in(RolloutState state, int step, RolloutState pausedFrom, RolloutPlan plan) {
        return new RolloutStatus(1, "r1", "churn", 4, 3, plan, state, step, pausedFrom, null, null, T0, T0, List.of());
    }

    static RolloutStatus in(RolloutState state) {
        return in(state, 0, state == RolloutState.PAUSED_INCONCLUSIVE ? RolloutState.CANARY : null, WITH_APPROVAL);
    }

    static List<String> evidence() {
        return List.of("http://ci/build/7");
    }

    /** Every event kind, by a short name used in the table. */
    static final Map<String, RolloutEvent> EVENTS = Map.ofEntries(
            Map.entry("staging", new StagingDeployed("ci", "http://127.0.0.1:9000/")),
            Map.entry("smokePass", new SmokeResult("ci", Outcome.PASS, List.of(), evidence())),
            Map.entry("smokeFail", new SmokeResult("ci", Outcome.FAIL, List.of("row 1 differs"), evidence())),
            Map.entry("smokeInconclusive", new SmokeResult("ci", Outcome.INCONCLUSIVE, List.of("no traffic"), evidence())),
            Map.entry("askApproval", new ApprovalRequested("ci")),
            Map.entry("approve", new Approved("alice", evidence())),
            Map.entry("reject", new Rejected("alice", "not now")),
            Map.entry("startCanary", new CanaryStarted("ci")),
            Map.entry("stepPass", new CanaryStepAnalysed("ci", Outcome.PASS, List.of(), List.of())),
            Map.entry("stepFail", new CanaryStepAnalysed("ci", Outcome.FAIL, List.of("errors"), List.of())),
            Map.entry("stepError", new CanaryStepAnalysed("ci", Outcome.ERROR, List.of("no metrics"), List.of())),
            Map.entry("stepInconclusive", new CanaryStepAnalysed("ci", Outcome.INCONCLUSIVE, List.of("few requests"), List.of())),
            Map.entry("resume", new Resumed("alice", "looked fine")),
            Map.entry("promote", new Promote("alice", "urgent fix")),
            Map.entry("abort", new Abort("alice", "bad idea")),
            Map.entry("error", new RolloutEvent.Error("ci", "deploy failed")));

    /** Legal (state, event) → next state; every other pair must be refused. States use step 0 and a canary pause. */
    static final Map<RolloutState, Map<String, RolloutState>> LEGAL = new EnumMap<>(RolloutState.class);

    static {
        legal(RolloutState.PENDING, "staging", RolloutState.STAGING_DEPLOYED);
        legal(RolloutState.STAGING_DEPLOYED, "smokePass", RolloutState.SMOKE_PASSED);
        legal(RolloutState.STAGING_DEPLOYED, "smokeFail", RolloutState.FAILED);
        legal(RolloutState.STAGING_DEPLOYED, "smokeInconclusive", RolloutState.PAUSED_INCONCLUSIVE);
        legal(RolloutState.SMOKE_PASSED, "askApproval", RolloutState.AWAITING_APPROVAL);
        legal(RolloutState.AWAITING_APPROVAL, "approve", RolloutState.APPROVED);
        legal(RolloutState.AWAITING_APPROVAL, "reject", RolloutState.ABORTED);
        legal(RolloutState.APPROVED, "startCanary", RolloutState.CANARY);
        legal(RolloutState.CANARY, "stepPass", RolloutState.CANARY);
        legal(RolloutState.CANARY, "stepFail", RolloutState.ROLLED_BACK);
        legal(RolloutState.CANARY, "stepError", RolloutState.ROLLED_BACK);
        legal(RolloutState.CANARY, "stepInconclusive", RolloutState.PAUSED_INCONCLUSIVE);
        legal(RolloutState.CANARY, "promote", RolloutState.PROMOTED);
        legal(RolloutState.PAUSED_INCONCLUSIVE, "resume", RolloutState.CANARY);
        legal(RolloutState.PAUSED_INCONCLUSIVE, "promote", RolloutState.PROMOTED);
        for (RolloutState s : RolloutState.values()) {
            if (!s.isFinal()) {
                boolean canaryOn = s == RolloutState.CANARY || s == RolloutState.PAUSED_INCONCLUSIVE;
                legal(s, "abort", canaryOn ? RolloutState.ROLLED_BACK : RolloutState.ABORTED);
                legal(s, "error", RolloutState.FAILED);
            }
        }
    }

    static void legal(RolloutState from, String event, RolloutState to) {
        LEGAL.computeIfAbsent(from, k -> new java.util.HashMap<>()).put(event, to);
    }

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (RolloutState s : RolloutState.values()) {
            for (String e : EVENTS.keySet()) {
                pairs.add(Arguments.of(s, e));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("everyPair")
    void appliesLegalTransitionsAndRefusesTheRest(RolloutState from, String eventName) {
        RolloutEvent event = EVENTS.get(eventName);
        RolloutState expected = LEGAL.getOrDefault(from, Map.of()).get(eventName);
        RolloutStatus before = in(from);
        if (expected == null) {
            ConflictException e = assertThrows(ConflictException.class, () -> Rollout.transition(before, event, T0.plusSeconds(1)));
            assertTrue(e.getMessage().startsWith("cannot "), e.getMessage());
            assertTrue(e.getMessage().contains(from.name()), e.getMessage());
            return;
        }
        RolloutStatus after = Rollout.transition(before, event, T0.plusSeconds(1));
        assertEquals(expected, after.state());
        assertEquals(1, after.history().size());
        RolloutStatus.Transition t = after.history().get(0);
        assertEquals(from, t.from());
        assertEquals(expected, t.to());
        assertEquals(event.actor(), t.actor());
        assertEquals(T0.plusSeconds(1), t.at());
        assertEquals(event.why(), t.why());
        assertEquals(T0.plusSeconds(1), after.updatedAt());
    }

    @Test
    void refusesApprovalOutsideAwaitingApprovalWithTheStateInTheMessage() {
        ConflictException e = assertThrows(ConflictException.class,
                () -> Rollout.transition(in(RolloutState.CANARY), EVENTS.get("approve"), T0));
        assertEquals("cannot approve: rollout is CANARY; approvals are taken in AWAITING_APPROVAL", e.getMessage());
    }

    @Test
    void refusesASecondApprovalNamingTheFirstApprover() {
        RolloutStatus approved = Rollout.transition(in(RolloutState.AWAITING_APPROVAL), new Approved("alice", evidence()), T0);
        assertEquals("alice", approved.approval().by());
        assertEquals(evidence(), approved.approval().evidence());
        ConflictException e = assertThrows(ConflictException.class, () -> Rollout.transition(approved, new Approved("bob", List.of()), T0));
        assertEquals("cannot approve: already approved by alice at " + T0, e.getMessage());
    }

    @Test
    void stepsThroughEveryWeightThenPromotes() {
        RolloutStatus s = in(RolloutState.CANARY);
        assertEquals(10, s.canaryWeight());
        s = Rollout.transition(s, EVENTS.get("stepPass"), T0);
        assertEquals(RolloutState.CANARY, s.state());
        assertEquals(50, s.canaryWeight());
        s = Rollout.transition(s, EVENTS.get("stepPass"), T0);
        assertEquals(100, s.canaryWeight());
        s = Rollout.transition(s, EVENTS.get("stepPass"), T0);
        assertEquals(RolloutState.PROMOTED, s.state());
    }

    @Test
    void inconclusivePausesWithATimestampedReasonAndResumeAdvances() {
        RolloutStatus paused = Rollout.transition(in(RolloutState.CANARY), EVENTS.get("stepInconclusive"), T0.plusSeconds(5));
        assertEquals(RolloutState.PAUSED_INCONCLUSIVE, paused.state());
        assertNotNull(paused.pause());
        assertEquals("InconclusiveAnalysis", paused.pause().type());
        assertEquals(T0.plusSeconds(5), paused.pause().since());
        assertEquals(10, paused.canaryWeight(), "the pause keeps the step's weight, it does not proceed");
        RolloutStatus resumed = Rollout.transition(paused, EVENTS.get("resume"), T0.plusSeconds(9));
        assertEquals(RolloutState.CANARY, resumed.state());
        assertEquals(1, resumed.stepIndex());
        assertEquals(null, resumed.pause());
    }

    @Test
    void smokeInconclusiveResumesToSmokePassed() {
        RolloutStatus paused = Rollout.transition(in(RolloutState.STAGING_DEPLOYED, 0, null, WITH_APPROVAL), EVENTS.get("smokeInconclusive"), T0);
        assertEquals(0, paused.canaryWeight());
        assertEquals(RolloutState.SMOKE_PASSED, Rollout.transition(paused, EVENTS.get("resume"), T0).state());
        assertEquals(RolloutState.ABORTED, Rollout.transition(paused, EVENTS.get("abort"), T0).state());
        ConflictException e = assertThrows(ConflictException.class, () -> Rollout.transition(paused, EVENTS.get("promote"), T0));
        assertTrue(e.getMessage().contains("promotion is possible once the canary runs"), e.getMessage());
    }

    @Test
    void canaryStartsFromSmokePassedOnlyWithoutApprovers() {
        assertEquals(RolloutState.CANARY,
                Rollout.transition(in(RolloutState.SMOKE_PASSED, 0, null, NO_APPROVAL), EVENTS.get("startCanary"), T0).state());
        ConflictException e = assertThrows(ConflictException.class,
                () -> Rollout.transition(in(RolloutState.SMOKE_PASSED, 0, null, WITH_APPROVAL), EVENTS.get("startCanary"), T0));
        assertTrue(e.getMessage().contains("approvers: alice"), e.getMessage());
        assertThrows(ConflictException.class,
                () -> Rollout.transition(in(RolloutState.SMOKE_PASSED, 0, null, NO_APPROVAL), EVENTS.get("askApproval"), T0));
    }

    @Test
    void finalStatesRefuseEverythingNamingTheFix() {
        ConflictException e = assertThrows(ConflictException.class, () -> Rollout.transition(in(RolloutState.PROMOTED), EVENTS.get("abort"), T0));
        assertEquals("cannot abort: rollout r1 is PROMOTED, which is final; start a new rollout for another attempt", e.getMessage());
    }
}
