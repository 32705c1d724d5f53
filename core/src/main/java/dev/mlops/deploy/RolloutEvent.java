package dev.mlops.deploy;

import dev.mlops.evaluate.Outcome;
import java.util.List;

/**
 * What happens to a rollout. Each event names who caused it ({@code actor}) and why, so every
 * transition can be audited; gate and analysis results carry their evidence links.
 */
public sealed interface RolloutEvent {
    String actor();

    /** Why, in one line, for the history and the audit log. */
    String why();

    default List<String> evidence() {
        return List.of();
    }

    /** The event's name as it appears in history and audit ("approved", "canary-step-analysed"). */
    default String name() {
        return getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    record StagingDeployed(String actor, String url) implements RolloutEvent {
        public String why() {
            return "candidate deployed to staging at " + url;
        }

        public List<String> evidence() {
            return url == null ? List.of() : List.of(url);
        }
    }

    /** Result of the staging gates (smoke, SLO), combined. */
    record SmokeResult(String actor, Outcome outcome, List<String> reasons, List<String> evidence) implements RolloutEvent {
        public SmokeResult {
            reasons = List.copyOf(reasons);
            evidence = List.copyOf(evidence);
        }

        public String why() {
            return "staging gates " + outcome + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons));
        }
    }

    record ApprovalRequested(String actor) implements RolloutEvent {
        public String why() {
            return "approval requested";
        }
    }

    record Approved(String actor, List<String> evidence) implements RolloutEvent {
        public Approved {
            evidence = evidence == null ? List.of() : List.copyOf(evidence);
        }

        public String why() {
            return "approved by " + actor;
        }
    }

    record Rejected(String actor, String reason) implements RolloutEvent {
        public String why() {
            return "rejected by " + actor + (reason == null ? "" : ": " + reason);
        }
    }

    /** Turns canary traffic on at the plan's first step. */
    record CanaryStarted(String actor) implements RolloutEvent {
        public String why() {
            return "canary started";
        }
    }

    record CanaryStepAnalysed(String actor, Outcome outcome, List<String> reasons, List<String> evidence) implements RolloutEvent {
        public CanaryStepAnalysed {
            reasons = List.copyOf(reasons);
            evidence = List.copyOf(evidence);
        }

        public String why() {
            return "canary analysis " + outcome + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons));
        }
    }

    /** A human judged an inconclusive pause and lets the rollout go on. */
    record Resumed(String actor, String reason) implements RolloutEvent {
        public String why() {
            return "resumed by " + actor + (reason == null ? "" : ": " + reason);
        }
    }

    /** Skip the remaining steps and promote now. */
    record Promote(String actor, String reason) implements RolloutEvent {
        public String why() {
            return "promoted by " + actor + (reason == null ? "" : ": " + reason);
        }
    }

    record Abort(String actor, String reason) implements RolloutEvent {
        public String why() {
            return "aborted by " + actor + (reason == null ? "" : ": " + reason);
        }
    }

    /** Something broke while acting on the rollout (deploy failed, alias moved by someone else). */
    record Error(String actor, String message) implements RolloutEvent {
        public String why() {
            return "error: " + message;
        }
    }
}
