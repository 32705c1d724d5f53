package dev.mlops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.InvalidInputException;
import dev.mlops.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutPlanTest {
    @Test
    void reportsEveryProblemAtOnceWithItsPath() {
        RolloutPlan.PlanException e = assertThrows(RolloutPlan.PlanException.class, () -> new RolloutPlan(true,
                new RolloutPlan.SloThresholds(0, 2), List.of("alice", " "), List.of(10, 5, 130),
                new RolloutPlan.AnalysisThresholds(0, 0.01, 500, 0.2)));
        assertEquals(List.of(
                "gates.slo.maxP99Millis: 0.0 is not positive; give milliseconds such as 250",
                "gates.slo.maxErrorRate: 2.0 not in 0..1; give a fraction such as 0.01",
                String.format(RolloutPlan.BLANK_APPROVER, "gates.approval.approvers[1]"),
                String.format(RolloutPlan.NOT_INCREASING, "canary.steps[1].weight", 5, 10),
                String.format(RolloutPlan.WEIGHT_RANGE, "canary.steps[2].weight", 130),
                "canary.analysis.minRequests: 0 is below 1; give a count such as 50"), e.problems());
        assertTrue(e.getMessage().contains("canary.steps[2].weight: 130 not in 1..100"), e.getMessage());
        assertEquals(2, e.code().exitCode());
        assertTrue(e instanceof InvalidInputException);
    }

    @Test
    void requiresStepsEndingAt100() {
        assertEquals(List.of(RolloutPlan.NO_STEPS), assertThrows(RolloutPlan.PlanException.class,
                () -> new RolloutPlan(false, null, List.of(), List.of(), null)).problems());
        assertEquals(List.of(String.format(RolloutPlan.LAST_NOT_100, 50)), assertThrows(RolloutPlan.PlanException.class,
                () -> new RolloutPlan(false, null, List.of(), List.of(10, 50), null)).problems());
    }

    @Test
    void roundTripsThroughJson() {
        RolloutPlan plan = new RolloutPlan(true, new RolloutPlan.SloThresholds(250, 0.01), List.of("alice", "group:ml-leads"),
                List.of(10, 50, 100), RolloutPlan.AnalysisThresholds.DEFAULTS);
        assertEquals(plan, Json.fromBytes(Json.toBytes(plan), RolloutPlan.class));
    }
}
