package dev.mlops.deploy;

import dev.mlops.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a candidate goes out: staging, then gates (smoke, SLO, approval), then canary steps of
 * increasing weight, each analysed against {@link AnalysisThresholds}. The constructor checks
 * everything at once and reports every problem with its path, e.g.
 * {@code canary.steps[2].weight: 130 not in 1..100}.
 *
 * @param smoke     whether the smoke gate runs on staging
 * @param slo       SLO thresholds checked on staging, or null for none
 * @param approvers who may approve (user ids, or {@code group:NAME}); empty = no approval gate
 * @param steps     canary weights in percent, strictly increasing, the last one 100
 * @param analysis  thresholds of each step's analysis
 */
public record RolloutPlan(boolean smoke, SloThresholds slo, List<String> approvers, List<Integer> steps, AnalysisThresholds analysis) {
    public static final String WEIGHT_RANGE = "%s: %d not in 1..100; give a percentage of traffic such as 10";
    public static final String NOT_INCREASING = "%s: %d is not above the previous step's %d; weights must increase, e.g. 10, 50, 100";
    public static final String LAST_NOT_100 = "canary.steps: the last step is %d, not 100; end with 100 so the candidate takes all traffic";
    public static final String NO_STEPS = "canary.steps: empty; give weights such as [10, 50, 100]";
    public static final String BLANK_APPROVER = "%s: blank; give a user id or group:NAME";

    public record SloThresholds(double maxP99Millis, double maxErrorRate) {
    }

    /**
     * @param minRequests  fewer canary requests in a step than this → INCONCLUSIVE
     * @param maxErrorRate canary error rate above this → FAIL
     * @param maxP99Millis canary p99 latency above this → FAIL
     * @param maxShift     PSI between canary and primary prediction distributions above this → FAIL
     */
    public record AnalysisThresholds(long minRequests, double maxErrorRate, double maxP99Millis, double maxShift) {
        public static final AnalysisThresholds DEFAULTS = new AnalysisThresholds(50, 0.01, 500, 0.2);
    }

    public RolloutPlan {
        approvers = approvers == null ? List.of() : List.copyOf(approvers);
        steps = steps == null ? List.of() : List.copyOf(steps);
        analysis = analysis == null ? AnalysisThresholds.DEFAULTS : analysis;
        List<String> problems = problems(slo, approvers, steps, analysis);
        if (!problems.isEmpty()) {
            throw new PlanException(problems);
        }
    }

    /** Smoke gate on, no SLO gate, the given approvers, steps 10, 50, 100 with default thresholds. */
    public static RolloutPlan standard(List<String> approvers) {
        return new RolloutPlan(true, null, approvers, List.of(10, 50, 100), AnalysisThresholds.DEFAULTS);
    }

    public boolean needsApproval() {
        return !approvers.isEmpty();
    }

    public int weight(int step) {
        return steps.get(step);
    }

    public boolean isLastStep(int step) {
        return step >= steps.size() - 1;
    }

    /** Every problem of a plan, each with its path; empty when the plan is valid. */
    public static List<String> problems(SloThresholds slo, List<String> approvers, List<Integer> steps, AnalysisThresholds analysis) {
        List<String> problems = new ArrayList<>();
        if (slo != null) {
            if (!(slo.maxP99Millis() > 0)) {
                problems.add("gates.slo.maxP99Millis: " + slo.maxP99Millis() + " is not positive; give milliseconds such as 250");
            }
            if (!(slo.maxErrorRate() >= 0 && slo.maxErrorRate() <= 1)) {
                problems.add("gates.slo.maxErrorRate: " + slo.maxErrorRate() + " not in 0..1; give a fraction such as 0.01");
            }
        }
        for (int i = 0; i < approvers.size(); i++) {
            String a = approvers.get(i);
            if (a == null || a.isBlank() || a.equals("group:")) {
                problems.add(String.format(BLANK_APPROVER, "gates.approval.approvers[" + i + "]"));
            }
        }
        if (steps.isEmpty()) {
            problems.add(NO_STEPS);
        }
        for (int i = 0; i < steps.size(); i++) {
            Integer w = steps.get(i);
            String path = "canary.steps[" + i + "].weight";
            if (w == null || w < 1 || w > 100) {
                problems.add(String.format(WEIGHT_RANGE, path, w == null ? 0 : w));
            } else if (i > 0 && steps.get(i - 1) != null && w <= steps.get(i - 1)) {
                problems.add(String.format(NOT_INCREASING, path, w, steps.get(i - 1)));
            }
        }
        if (!steps.isEmpty() && steps.get(steps.size() - 1) != null && steps.get(steps.size() - 1) != 100
                && steps.get(steps.size() - 1) <= 100) {
            problems.add(String.format(LAST_NOT_100, steps.get(steps.size() - 1)));
        }
        if (analysis.minRequests() < 1) {
            problems.add("canary.analysis.minRequests: " + analysis.minRequests() + " is below 1; give a count such as 50");
        }
        if (!(analysis.maxErrorRate() >= 0 && analysis.maxErrorRate() <= 1)) {
            problems.add("canary.analysis.maxErrorRate: " + analysis.maxErrorRate() + " not in 0..1; give a fraction such as 0.01");
        }
        if (!(analysis.maxP99Millis() > 0)) {
            problems.add("canary.analysis.maxP99Millis: " + analysis.maxP99Millis() + " is not positive; give milliseconds such as 500");
        }
        if (!(analysis.maxShift() >= 0)) {
            problems.add("canary.analysis.maxShift: " + analysis.maxShift() + " is negative; give a PSI limit such as 0.2");
        }
        return problems;
    }

    /** An invalid plan; {@link #problems()} lists every problem, the message joins them. */
    public static final class PlanException extends InvalidInputException {
        private final List<String> problems;

        public PlanException(List<String> problems) {
            super("rollout plan: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
