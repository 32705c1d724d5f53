package dev.mlops.deploy;

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
import dev.mlops.deploy.RolloutStatus.Condition;
import dev.mlops.deploy.RolloutStatus.Transition;
import dev.mlops.error.ConflictException;
import java.time.Instant;

/**
 * The rollout state machine: a pure function from (status, event, time) to the next status. It
 * performs no I/O; {@link Rollouts} persists the result, audits it and acts on it (traffic, alias).
 *
 * <pre>
 * PENDING --StagingDeployed--> STAGING_DEPLOYED --SmokeResult PASS--> SMOKE_PASSED
 *   SMOKE_PASSED --ApprovalRequested--> AWAITING_APPROVAL --Approved--> APPROVED --CanaryStarted--> CANARY[0]
 *   SMOKE_PASSED --CanaryStarted--> CANARY[0]                     (only when the plan has no approvers)
 *   CANARY[i] --PASS--> CANARY[i+1] | PROMOTED (last step);  FAIL/ERROR --> ROLLED_BACK;  INCONCLUSIVE --> PAUSED_INCONCLUSIVE
 *   STAGING_DEPLOYED --SmokeResult FAIL/ERROR--> FAILED;  INCONCLUSIVE --> PAUSED_INCONCLUSIVE
 *   PAUSED_INCONCLUSIVE --Resumed--> as if that analysis had passed;  CANARY|PAUSED --Promote--> PROMOTED
 *   AWAITING_APPROVAL --Rejected--> ABORTED;  any live state --Abort--> ROLLED_BACK (canary traffic on) | ABORTED
 *   any live state --Error--> FAILED
 * </pre>
 */
public final class Rollout {
    public static final String FINAL = "cannot %s: rollout %s is %s, which is final; start a new rollout for another attempt";
    public static final String WRONG_STATE = "cannot %s: rollout is %s; %s";
    public static final String ALREADY_APPROVED = "cannot approve: already approved by %s at %s";

    private Rollout() {
    }

    public static RolloutStatus transition(RolloutStatus s, RolloutEvent event, Instant now) {
        RolloutState from = s.state();
        String verb = verb(event);
        if (from.isFinal()) {
            throw new ConflictException(String.format(FINAL, verb, s.id(), from));
        }
        if (event instanceof StagingDeployed) {
            require(s, verb, RolloutState.PENDING, "staging deployments are recorded in PENDING");
            return move(s, event, now, RolloutState.STAGING_DEPLOYED, 0);
        }
        if (event instanceof SmokeResult e) {
            require(s, verb, RolloutState.STAGING_DEPLOYED, "staging gates are recorded in STAGING_DEPLOYED");
            return switch (e.outcome()) {
                case PASS -> move(s, event, now, RolloutState.SMOKE_PASSED, 0);
                case INCONCLUSIVE -> pause(s, event, now);
                case FAIL, ERROR -> move(s, event, now, RolloutState.FAILED, 0);
            };
        }
        if (event instanceof ApprovalRequested) {
            require(s, verb, RolloutState.SMOKE_PASSED, "approval is requested once the staging gates passed (SMOKE_PASSED)");
            if (!s.plan().needsApproval()) {
                throw new ConflictException(String.format(WRONG_STATE, verb, from,
                        "the plan lists no approvers; start the canary directly or add gates.approval.approvers"));
            }
            return move(s, event, now, RolloutState.AWAITING_APPROVAL, 0);
        }
        if (event instanceof Approved e) {
            if (s.approval() != null) {
                throw new ConflictException(String.format(ALREADY_APPROVED, s.approval().by(), s.approval().since()));
            }
            require(s, verb, RolloutState.AWAITING_APPROVAL, "approvals are taken in AWAITING_APPROVAL");
            Condition approval = new Condition("Approved", e.why(), e.actor(), now, e.evidence());
            return s.next(RolloutState.APPROVED, 0, null, null, approval, record(s, event, now, RolloutState.APPROVED, 0));
        }
        if (event instanceof Rejected) {
            require(s, verb, RolloutState.AWAITING_APPROVAL, "rejections are taken in AWAITING_APPROVAL");
            return move(s, event, now, RolloutState.ABORTED, 0);
        }
        if (event instanceof CanaryStarted) {
            if (from == RolloutState.SMOKE_PASSED && s.plan().needsApproval()) {
                throw new ConflictException(String.format(WRONG_STATE, verb, from,
                        "the plan needs an approval first (approvers: " + String.join(", ", s.plan().approvers()) + ")"));
            }
            if (from != RolloutState.APPROVED && from != RolloutState.SMOKE_PASSED) {
                throw new ConflictException(String.format(WRONG_STATE, verb, from, "the canary starts from APPROVED (or SMOKE_PASSED without approvers)"));
            }
            return move(s, event, now, RolloutState.CANARY, 0);
        }
        if (event instanceof CanaryStepAnalysed e) {
            require(s, verb, RolloutState.CANARY, "canary analyses are recorded in CANARY");
            return switch (e.outcome()) {
                case PASS -> advance(s, event, now);
                case INCONCLUSIVE -> pause(s, event, now);
                case FAIL, ERROR -> move(s, event, now, RolloutState.ROLLED_BACK, s.stepIndex());
            };
        }
        if (event instanceof Resumed) {
            require(s, verb, RolloutState.PAUSED_INCONCLUSIVE, "only a paused rollout can be resumed");
            return s.pausedFrom() == RolloutState.CANARY ? advance(s, event, now) : move(s, event, now, RolloutState.SMOKE_PASSED, 0);
        }
        if (event instanceof Promote) {
            boolean canary = from == RolloutState.CANARY
                    || from == RolloutState.PAUSED_INCONCLUSIVE && s.pausedFrom() == RolloutState.CANARY;
            if (!canary) {
                throw new ConflictException(String.format(WRONG_STATE, verb, from, "promotion is possible once the canary runs (CANARY)"));
            }
            return move(s, event, now, RolloutState.PROMOTED, s.plan().steps().size() - 1);
        }
        if (event instanceof Abort) {
            return move(s, event, now, s.canaryWeight() > 0 ? RolloutState.ROLLED_BACK : RolloutState.ABORTED, s.stepIndex());
        }
        return move(s, event, now, RolloutState.FAILED, s.stepIndex()); // Error
    }

    private static RolloutStatus advance(RolloutStatus s, RolloutEvent event, Instant now) {
        if (s.plan().isLastStep(s.stepIndex())) {
            return move(s, event, now, RolloutState.PROMOTED, s.stepIndex());
        }
        return move(s, event, now, RolloutState.CANARY, s.stepIndex() + 1);
    }

    private static RolloutStatus pause(RolloutStatus s, RolloutEvent event, Instant now) {
        Condition pause = new Condition("InconclusiveAnalysis", event.why(), event.actor(), now, event.evidence());
        return s.next(RolloutState.PAUSED_INCONCLUSIVE, s.stepIndex(), s.state(), pause, s.approval(),
                record(s, event, now, RolloutState.PAUSED_INCONCLUSIVE, s.stepIndex()));
    }

    private static RolloutStatus move(RolloutStatus s, RolloutEvent event, Instant now, RolloutState to, int step) {
        return s.next(to, step, null, null, s.approval(), record(s, event, now, to, step));
    }

    private static Transition record(RolloutStatus s, RolloutEvent event, Instant now, RolloutState to, int step) {
        return new Transition(now, event.name(), event.actor(), s.state(), to, step, event.why(), event.evidence());
    }

    private static void require(RolloutStatus s, String verb, RolloutState expected, String hint) {
        if (s.state() != expected) {
            throw new ConflictException(String.format(WRONG_STATE, verb, s.state(), hint));
        }
    }

    static String verb(RolloutEvent event) {
        return VERBS.getOrDefault(event.getClass(), "record an error");
    }

    private static final java.util.Map<Class<?>, String> VERBS = java.util.Map.ofEntries(
            java.util.Map.entry(StagingDeployed.class, "record a staging deployment"),
            java.util.Map.entry(SmokeResult.class, "record staging gates"),
            java.util.Map.entry(ApprovalRequested.class, "request approval"),
            java.util.Map.entry(Approved.class, "approve"),
            java.util.Map.entry(Rejected.class, "reject"),
            java.util.Map.entry(CanaryStarted.class, "start the canary"),
            java.util.Map.entry(CanaryStepAnalysed.class, "record a canary analysis"),
            java.util.Map.entry(Resumed.class, "resume"),
            java.util.Map.entry(Promote.class, "promote"),
            java.util.Map.entry(Abort.class, "abort"),
            java.util.Map.entry(RolloutEvent.Error.class, "record an error"));
}
