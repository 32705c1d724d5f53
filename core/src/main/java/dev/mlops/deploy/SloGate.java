package dev.mlops.deploy;

import dev.mlops.evaluate.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks p99 latency and error rate of one version from a metrics delta against the plan's SLO.
 * No requests at all is INCONCLUSIVE, never a silent PASS.
 */
public final class SloGate {
    private final RolloutPlan.SloThresholds thresholds;

    public SloGate(RolloutPlan.SloThresholds thresholds) {
        this.thresholds = thresholds;
    }

    public GateResult check(MetricsSnapshot.VersionMetrics m) {
        double p99 = m.quantileMillis(0.99);
        Map<String, Double> measured = Map.of("requests", m.requests(), "errorRate", m.errorRate(), "p99Millis", Double.isNaN(p99) ? -1 : p99);
        if (m.requests() <= 0) {
            return new GateResult("slo", Outcome.INCONCLUSIVE, List.of("slo: no requests were measured; send traffic to the staged endpoint first"), measured);
        }
        List<String> reasons = new ArrayList<>();
        if (m.errorRate() > thresholds.maxErrorRate()) {
            reasons.add(String.format("slo: error rate %.4f above %.4f", m.errorRate(), thresholds.maxErrorRate()));
        }
        if (p99 > thresholds.maxP99Millis()) {
            reasons.add(String.format("slo: p99 latency %.1f ms above %.1f ms", p99, thresholds.maxP99Millis()));
        }
        return new GateResult("slo", reasons.isEmpty() ? Outcome.PASS : Outcome.FAIL, reasons, measured);
    }
}
