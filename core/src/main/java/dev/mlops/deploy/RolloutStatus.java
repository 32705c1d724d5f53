package dev.mlops.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The persisted state of one rollout: which candidate replaces which production version, under
 * which plan, where it stands, the timestamped conditions (pauses, approval) and the full history.
 *
 * @param previous   the production version when the rollout began, or null if there was none
 * @param stepIndex  the current canary step (meaningful in CANARY and in a pause taken there)
 * @param pausedFrom the state a PAUSED_INCONCLUSIVE rollout was in when it paused
 * @param pause      why and since when it is paused, or null
 * @param approval   who approved, when, with which evidence, or null
 */
public record RolloutStatus(int schema, String id, String model, int candidate, Integer previous, RolloutPlan plan,
                            RolloutState state, int stepIndex, RolloutState pausedFrom, Condition pause, Condition approval,
                            Instant createdAt, Instant updatedAt, List<Transition> history) {
    public static final int SCHEMA = 1;

    /** A timestamped condition: a pause reason with its start, or an approval with who and evidence. */
    public record Condition(String type, String reason, String by, Instant since, List<String> evidence) {
        public Condition {
            evidence = evidence == null ? List.of() : List.copyOf(evidence);
        }
    }

    /** One applied event: from → to, who, when, why, with evidence links. */
    public record Transition(Instant at, String event, String actor, RolloutState from, RolloutState to, int step,
                             String why, List<String> evidence) {
        public Transition {
            evidence = evidence == null ? List.of() : List.copyOf(evidence);
        }
    }

    public RolloutStatus {
        history = history == null ? List.of() : List.copyOf(history);
    }

    public static RolloutStatus begin(String id, String model, int candidate, Integer previous, RolloutPlan plan, Instant now) {
        return new RolloutStatus(SCHEMA, id, model, candidate, previous, plan, RolloutState.PENDING, 0, null, null, null,
                now, now, List.of());
    }

    /** The canary's share of traffic now: the step's weight in CANARY or a canary pause, 100 once promoted, else 0. */
    public int canaryWeight() {
        if (state == RolloutState.CANARY || state == RolloutState.PAUSED_INCONCLUSIVE && pausedFrom == RolloutState.CANARY) {
            return plan.weight(stepIndex);
        }
        return state == RolloutState.PROMOTED ? 100 : 0;
    }

    RolloutStatus next(RolloutState to, int step, RolloutState newPausedFrom, Condition newPause, Condition newApproval,
                       Transition transition) {
        List<Transition> h = new ArrayList<>(history);
        h.add(transition);
        return new RolloutStatus(schema, id, model, candidate, previous, plan, to, step, newPausedFrom, newPause, newApproval,
                createdAt, transition.at(), h);
    }
}
