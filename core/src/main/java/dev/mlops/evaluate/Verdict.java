package dev.mlops.evaluate;

import java.util.List;
import java.util.Objects;

/**
 * The gate's decision: one outcome with a reason, plus the decision for every gated metric and
 * every gated slice column.
 *
 * @param outcome    any FAIL → FAIL, else any ERROR → ERROR, else any INCONCLUSIVE → INCONCLUSIVE, else PASS
 * @param reason     one line a person can act on
 * @param firstModel true when there was no baseline and the first-model policy decided
 * @param metrics    per gated metric (empty for a first model)
 * @param slices     per slice-gate column (empty without a slice gate)
 */
public record Verdict(Outcome outcome, String reason, boolean firstModel, List<MetricDecision> metrics,
                      List<SliceDecision> slices) {
    public Verdict {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        metrics = List.copyOf(metrics);
        slices = List.copyOf(slices);
    }

    /** The decision on one gated metric. */
    public record MetricDecision(Metric metric, GateMode mode, Outcome outcome, String reason) {
    }

    /**
     * The decision on one slice column.
     *
     * @param worstSlice value of the column in the worst gated slice (null when none was gated)
     * @param bestSlice  value of the column in the best gated slice
     */
    public record SliceDecision(String column, Metric metric, Outcome outcome, String reason, String worstSlice,
                                Double worstValue, String bestSlice, Double bestValue, Double gap) {
    }
}
