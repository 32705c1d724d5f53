package dev.mlops.evaluate;

import dev.mlops.evaluate.EvaluationReport.Interval;
import dev.mlops.evaluate.EvaluationReport.MetricComparison;
import dev.mlops.evaluate.EvaluationReport.SliceReport;
import dev.mlops.evaluate.Verdict.MetricDecision;
import dev.mlops.evaluate.Verdict.SliceDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The pure decision: gate config + measured comparisons (+ slices) → {@link Verdict}. Rules are
 * documented on {@link MetricGate}, {@link SliceGate} and {@link FirstModelPolicy}.
 */
public final class Gate {
    public static final String FIRST_MODEL_PASSED = "first model: no baseline, passed by policy";
    public static final String FIRST_MODEL_FAILED = "first model: no baseline, failed by policy (first_model_policy=fail)";
    public static final String FIRST_MODEL_APPROVAL =
            "first model: no baseline, approval required by policy (first_model_policy=require_approval)";

    private Gate() {
    }

    /**
     * @param comparisons per metric, with intervals for every gated metric; ignored for a first model
     * @param hasBaseline false for a first model
     * @param slices      slice results (candidate values are gated by the slice gate)
     */
    public static Verdict decide(GateConfig config, boolean hasBaseline, Map<Metric, MetricComparison> comparisons,
                                 List<SliceReport> slices) {
        List<SliceDecision> sliceDecisions = config.sliceGate() == null ? List.of() : decideSlices(config.sliceGate(), slices);
        List<MetricDecision> metricDecisions = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        if (!hasBaseline) {
            Outcome policy = switch (config.firstModelPolicy()) {
                case PASS -> Outcome.PASS;
                case FAIL -> Outcome.FAIL;
                case REQUIRE_APPROVAL -> Outcome.INCONCLUSIVE;
            };
            outcomes.add(policy);
            reasons.add(switch (config.firstModelPolicy()) {
                case PASS -> FIRST_MODEL_PASSED;
                case FAIL -> FIRST_MODEL_FAILED;
                case REQUIRE_APPROVAL -> FIRST_MODEL_APPROVAL;
            });
        } else {
            for (MetricGate rule : config.metrics()) {
                MetricComparison c = comparisons.get(rule.metric());
                MetricDecision d = c == null
                        ? new MetricDecision(rule.metric(), rule.mode(), Outcome.ERROR, rule.metric().id() + ": not measured")
                        : decide(rule, c);
                metricDecisions.add(d);
                outcomes.add(d.outcome());
            }
        }
        for (SliceDecision s : sliceDecisions) {
            outcomes.add(s.outcome());
        }
        Outcome overall = Outcome.combine(outcomes);
        if (hasBaseline) {
            reasons.add(summary(overall, metricDecisions));
        }
        for (SliceDecision s : sliceDecisions) {
            if (s.outcome() != Outcome.PASS) {
                reasons.add(s.outcome() == overall ? s.reason() : s.outcome() + " " + s.reason());
            }
        }
        return new Verdict(overall, overall + ": " + String.join("; ", reasons), !hasBaseline, metricDecisions, sliceDecisions);
    }

    private static String summary(Outcome overall, List<MetricDecision> decisions) {
        if (overall == Outcome.PASS) {
            return "all " + decisions.size() + " gated metric" + (decisions.size() == 1 ? "" : "s") + " passed ("
                    + decisions.stream().map(MetricDecision::reason).collect(Collectors.joining("; ")) + ")";
        }
        return decisions.stream().filter(d -> d.outcome() != Outcome.PASS)
                .map(d -> d.outcome() == overall ? d.reason() : d.outcome() + " " + d.reason()).collect(Collectors.joining("; "));
    }

    /** One metric rule against one measured comparison. */
    public static MetricDecision decide(MetricGate rule, MetricComparison c) {
        String id = rule.metric().id();
        Direction dir = rule.direction();
        if (c.candidate() == null || c.baseline() == null || c.delta() == null) {
            String which = c.candidate() == null ? "candidate" : "baseline";
            return new MetricDecision(rule.metric(), rule.mode(), Outcome.ERROR,
                    id + " is undefined for the " + which + " on this holdout (e.g. only one class present); "
                            + "use a holdout with every class or gate on another metric");
        }
        double candidate = c.candidate();
        double baseline = c.baseline();
        double g = dir.improvement(c.delta());
        String measured = id + " " + fmt(candidate) + " vs baseline " + fmt(baseline) + " (change " + signed(c.delta())
                + (dir == Direction.HIGHER_IS_BETTER ? ", higher is better" : ", lower is better") + ")";
        Interval ci = c.interval();
        if (rule.mode() == GateMode.SUPERIORITY) {
            List<String> misses = new ArrayList<>();
            String relativeNote = "";
            if (!atLeast(g, rule.minAbsoluteChange())) {
                misses.add("needs an improvement of at least " + fmt(rule.minAbsoluteChange())
                        + (rule.minAbsoluteChange() == 0 ? " (no improvement)" : " (min_absolute_change)"));
            }
            if (rule.minRelativeChange() > 0) {
                if (baseline == 0) {
                    relativeNote = "; relative change undefined (baseline is 0), only min_absolute_change applied";
                } else {
                    double relative = g / Math.abs(baseline);
                    if (!atLeast(relative, rule.minRelativeChange())) {
                        misses.add("relative improvement " + pct(relative) + " is below min_relative_change "
                                + pct(rule.minRelativeChange()));
                    }
                }
            }
            if (!misses.isEmpty()) {
                return new MetricDecision(rule.metric(), rule.mode(), Outcome.FAIL,
                        measured + ": " + String.join(" and ", misses) + relativeNote);
            }
            return withInterval(rule, measured + relativeNote, ci, 0.0, "0 (no improvement)");
        }
        if (!atLeast(g, -rule.margin())) {
            return new MetricDecision(rule.metric(), rule.mode(), Outcome.FAIL,
                    measured + ": worse by more than the non-inferiority margin " + fmt(rule.margin()));
        }
        return withInterval(rule, measured, ci, -rule.margin(), "-margin (" + signed(-rule.margin()) + ")");
    }

    /** The point estimate passed; PASS only if the interval (in the better direction) lies above {@code boundary}. */
    private static MetricDecision withInterval(MetricGate rule, String measured, Interval ci, double boundary, String boundaryText) {
        if (ci == null || ci.lower() == null || ci.upper() == null) {
            return new MetricDecision(rule.metric(), rule.mode(), Outcome.ERROR,
                    measured + ": bootstrap interval undefined ("
                            + (ci == null ? "not computed" : ci.undefinedResamples() + " of " + ci.resamples() + " resamples undefined")
                            + "); use a larger holdout");
        }
        double worstCase = rule.direction() == Direction.HIGHER_IS_BETTER ? ci.lower() : -ci.upper();
        String interval = pctLevel(ci.level()) + " CI [" + signed(ci.lower()) + ", " + signed(ci.upper()) + "]";
        if (worstCase > boundary) {
            return new MetricDecision(rule.metric(), rule.mode(), Outcome.PASS,
                    measured + ", " + interval + " excludes " + boundaryText);
        }
        String what = rule.mode() == GateMode.SUPERIORITY ? "not enough evidence of improvement"
                : "not enough evidence the candidate is within the margin";
        return new MetricDecision(rule.metric(), rule.mode(), Outcome.INCONCLUSIVE,
                measured + " meets the thresholds but " + interval + " does not exclude " + boundaryText + ": " + what
                        + "; approve manually or evaluate on a larger holdout");
    }

    static List<SliceDecision> decideSlices(SliceGate gate, List<SliceReport> slices) {
        List<SliceDecision> out = new ArrayList<>();
        Metric metric = gate.metric();
        boolean higher = metric.direction() == Direction.HIGHER_IS_BETTER;
        for (String column : gate.columns()) {
            SliceReport worst = null;
            SliceReport best = null;
            int considered = 0;
            for (SliceReport s : slices) {
                Double v = s.candidate().get(metric.id());
                if (!s.column().equals(column) || s.rows() < gate.minRows() || v == null) {
                    continue;
                }
                considered++;
                if (worst == null || (higher ? v < worst.candidate().get(metric.id()) : v > worst.candidate().get(metric.id()))) {
                    worst = s;
                }
                if (best == null || (higher ? v > best.candidate().get(metric.id()) : v < best.candidate().get(metric.id()))) {
                    best = s;
                }
            }
            if (worst == null) {
                out.add(new SliceDecision(column, metric, Outcome.ERROR, "slice gate on " + column + ": no slice has at least "
                        + gate.minRows() + " rows and a defined " + metric.id() + "; lower min_rows or use a larger holdout",
                        null, null, null, null, null));
                continue;
            }
            double worstValue = worst.candidate().get(metric.id());
            double bestValue = best.candidate().get(metric.id());
            double gap = Math.abs(bestValue - worstValue);
            List<String> misses = new ArrayList<>();
            if (gate.minValue() != null && !atLeast(worstValue, gate.minValue())) {
                misses.add(metric.id() + " " + fmt(worstValue) + " is below min_value " + fmt(gate.minValue()));
            }
            if (gate.maxValue() != null && !atLeast(gate.maxValue(), worstValue)) {
                misses.add(metric.id() + " " + fmt(worstValue) + " is above max_value " + fmt(gate.maxValue()));
            }
            if (gate.maxGap() != null && !atLeast(gate.maxGap(), gap)) {
                misses.add("gap to best slice " + column + "=" + best.value() + " (" + fmt(bestValue) + ") is "
                        + fmt(gap) + ", above max_gap " + fmt(gate.maxGap()));
            }
            String where = "worst slice " + column + "=" + worst.value() + " (" + worst.rows() + " rows, " + considered
                    + " slices gated)";
            Outcome outcome = misses.isEmpty() ? Outcome.PASS : Outcome.FAIL;
            String reason = misses.isEmpty()
                    ? where + ": " + metric.id() + " " + fmt(worstValue) + ", gap " + fmt(gap) + " within limits"
                    : where + ": " + String.join(" and ", misses);
            out.add(new SliceDecision(column, metric, outcome, reason, worst.value(), worstValue, best.value(), bestValue, gap));
        }
        return out;
    }

    /**
     * {@code value >= limit}, forgiving floating-point rounding of 1e-12 (relative for large
     * limits): 0.5 − 0.4 is 0.09999999999999998 in doubles, and a configured "at least 0.1" or
     * "at least 20 %" must accept it.
     */
    static boolean atLeast(double value, double limit) {
        return value >= limit - 1e-12 * Math.max(1, Math.abs(limit));
    }

    static String fmt(double v) {
        if (v == 0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6)) {
            return String.format(Locale.ROOT, "%.4f", v);
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    static String signed(double v) {
        String s = fmt(v);
        return v >= 0 ? "+" + s : s;
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", v * 100);
    }

    private static String pctLevel(double level) {
        double p = level * 100;
        return (p == Math.rint(p) ? String.valueOf((long) p) : String.format(Locale.ROOT, "%.1f", p)) + "%";
    }
}
