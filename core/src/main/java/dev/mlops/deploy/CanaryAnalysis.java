package dev.mlops.deploy;

import dev.mlops.deploy.MetricsSnapshot.VersionMetrics;
import dev.mlops.evaluate.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges one canary step from the canary's metrics delta (two scrapes of /metrics, before and after
 * the step) and, when given, the logged predictions of canary and primary:
 * <ul>
 *   <li>fewer canary requests than {@code minRequests} → INCONCLUSIVE (pause for a human);</li>
 *   <li>5xx error rate above {@code maxErrorRate}, p99 above {@code maxP99Millis}, or prediction
 *       shift (PSI) above {@code maxShift} → FAIL, naming each breach;</li>
 *   <li>otherwise PASS.</li>
 * </ul>
 * Shift is the population stability index over predicted-class counts (argmax of each output row;
 * for one-output regression, ten equal-width bins over both samples), with 0.5 added to every
 * count so an empty bin stays finite. It is measured only when each side logged at least
 * {@value #MIN_LOGGED} predictions.
 */
public final class CanaryAnalysis {
    public static final int MIN_LOGGED = 20;
    private final RolloutPlan.AnalysisThresholds thresholds;

    public CanaryAnalysis(RolloutPlan.AnalysisThresholds thresholds) {
        this.thresholds = thresholds;
    }

    public GateResult analyse(VersionMetrics canary, List<double[]> canaryOutputs, List<double[]> primaryOutputs) {
        Map<String, Double> measured = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        measured.put("requests", canary.requests());
        measured.put("errorRate", canary.errorRate());
        double p99 = canary.quantileMillis(0.99);
        if (!Double.isNaN(p99)) {
            measured.put("p99Millis", p99);
        }
        if (canary.requests() < thresholds.minRequests()) {
            reasons.add(String.format("canary: only %.0f requests in this step, fewer than the %d needed to judge; wait for traffic or resume by hand",
                    canary.requests(), thresholds.minRequests()));
            return new GateResult("canary", Outcome.INCONCLUSIVE, reasons, measured);
        }
        if (canary.errorRate() > thresholds.maxErrorRate()) {
            reasons.add(String.format("canary: error rate %.4f above %.4f", canary.errorRate(), thresholds.maxErrorRate()));
        }
        if (p99 > thresholds.maxP99Millis()) {
            reasons.add(String.format("canary: p99 latency %.1f ms above %.1f ms", p99, thresholds.maxP99Millis()));
        }
        if (canaryOutputs != null && primaryOutputs != null && canaryOutputs.size() >= MIN_LOGGED && primaryOutputs.size() >= MIN_LOGGED) {
            double psi = psi(canaryOutputs, primaryOutputs);
            measured.put("psi", psi);
            if (psi > thresholds.maxShift()) {
                reasons.add(String.format("canary: prediction shift PSI %.3f above %.3f", psi, thresholds.maxShift()));
            }
        }
        return new GateResult("canary", reasons.isEmpty() ? Outcome.PASS : Outcome.FAIL, reasons, measured);
    }

    /** Population stability index of canary vs primary predictions: Σ (c − p) · ln(c / p) over bins. */
    public static double psi(List<double[]> canary, List<double[]> primary) {
        int width = canary.get(0).length;
        int bins;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        if (width == 1) {
            for (List<double[]> side : List.of(canary, primary)) {
                for (double[] r : side) {
                    lo = Math.min(lo, r[0]);
                    hi = Math.max(hi, r[0]);
                }
            }
            bins = 10;
        } else {
            bins = width;
        }
        double[] c = histogram(canary, bins, lo, hi);
        double[] p = histogram(primary, bins, lo, hi);
        double psi = 0;
        for (int i = 0; i < bins; i++) {
            psi += (c[i] - p[i]) * Math.log(c[i] / p[i]);
        }
        return psi;
    }

    private static double[] histogram(List<double[]> rows, int bins, double lo, double hi) {
        double[] counts = new double[bins];
        java.util.Arrays.fill(counts, 0.5);
        for (double[] r : rows) {
            int bin;
            if (r.length == 1) {
                bin = hi > lo ? (int) Math.min(bins - 1, Math.floor((r[0] - lo) / (hi - lo) * bins)) : 0;
            } else {
                bin = 0;
                for (int j = 1; j < Math.min(r.length, bins); j++) {
                    if (r[j] > r[bin]) {
                        bin = j;
                    }
                }
            }
            counts[bin]++;
        }
        double total = rows.size() + 0.5 * bins;
        for (int i = 0; i < bins; i++) {
            counts[i] /= total;
        }
        return counts;
    }
}
