package dev.mlops.deploy;

import dev.mlops.evaluate.Outcome;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a deployment gate or a canary analysis decided, why, and the numbers it decided on. */
public record GateResult(String gate, Outcome outcome, List<String> reasons, Map<String, Double> measurements) {
    public GateResult {
        reasons = List.copyOf(reasons);
        measurements = new TreeMap<>(measurements);
    }
}
